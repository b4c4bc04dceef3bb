using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Neruba.Domain.Metering;

using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Metering;

/// <summary>
/// Checks one incoming event against the project's customers and metrics and turns it into a stored form:
/// properties as canonical JSON (sorted keys, normalised numbers) and a hash of the whole payload, so a
/// resent event is recognised as the same one however its JSON was spelled.
/// </summary>
internal static class EventValidator
{
    public const int MaxProperties = 50;
    public const int MaxPropertyNameLength = 50;
    public const int MaxTextValueLength = 500;
    public static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(5);
    private static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Checks one event; customers must already be in the catalog (see <see cref="MeteringCatalog.LoadCustomersAsync"/>).</summary>
    public static (PreparedEvent? Event, string? Rejection) Prepare(int index, IncomingEvent incoming, Guid projectId,
        MeteringCatalog catalog, MeteringCatalog.ProjectMetering project, DateTimeOffset receivedAt)
    {
        if (incoming.ParseError is { } parseError)
        {
            return (null, parseError);
        }

        if (string.IsNullOrWhiteSpace(incoming.EventId) || incoming.EventId.Length > UsageEventRecordConfiguration.MaxEventIdLength)
        {
            return (null, $"eventId is required: 1 to {UsageEventRecordConfiguration.MaxEventIdLength} characters.");
        }

        if (TextRules.Problem(incoming.EventId) is { } badId)
        {
            return (null, $"eventId {badId}");
        }

        if (string.IsNullOrWhiteSpace(incoming.Metric) || !project.Metrics.TryGetValue(incoming.Metric, out var metric))
        {
            return (null, string.IsNullOrWhiteSpace(incoming.Metric) ? "metric is required." : $"Unknown metric '{incoming.Metric}'.");
        }

        if (string.IsNullOrWhiteSpace(incoming.Customer))
        {
            return (null, "customerId (the customer's external id) is required.");
        }

        if (TextRules.Problem(incoming.Customer) is { } badCustomer)
        {
            return (null, $"customerId {badCustomer}");
        }

        if (!catalog.TryGetCustomer(projectId, incoming.Customer, out var customerId))
        {
            return (null, $"Unknown customer '{incoming.Customer}'.");
        }

        if (!TextRules.TryParseTimestamp(incoming.OccurredAt, out var occurredAt))
        {
            return (null, $"occurredAt must be {TextRules.TimestampHint}.");
        }

        if (occurredAt > receivedAt + FutureTolerance)
        {
            return (null, $"occurredAt {incoming.OccurredAt} is in the future (more than {FutureTolerance.TotalMinutes} minutes ahead of the server clock).");
        }

        if (occurredAt < Earliest)
        {
            return (null, "occurredAt is before the year 2000.");
        }

        var (properties, values, problem) = Canonicalize(incoming.Properties);
        if (problem is not null)
        {
            return (null, problem);
        }

        if (metric.NeedsProperty && (!values.TryGetValue(metric.Property!, out var value) || (metric.NeedsNumber && !value.IsNumber)))
        {
            return (null, $"Metric '{metric.Code}' ({metric.Aggregation}) needs {(metric.NeedsNumber ? "a number" : "a value")} in property '{metric.Property}'.");
        }

        var periodStart = UsagePeriods.StartOf(occurredAt);
        var hash = Hash(incoming.Customer, metric.Code, occurredAt.UtcTicks, properties);
        return (new PreparedEvent(index, incoming.EventId, customerId, metric.Id, occurredAt, properties, hash, periodStart), null);
    }

    /// <summary>Reads stored canonical properties back as aggregation values.</summary>
    public static Dictionary<string, PropertyValue> ReadProperties(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.Number
            ? PropertyValue.Of(p.Value.GetDecimal())
            : PropertyValue.Of(p.Value.GetString() ?? ""), StringComparer.Ordinal);
    }

    private static (string Json, Dictionary<string, PropertyValue> Values, string? Problem) Canonicalize(JsonElement? properties)
    {
        var values = new Dictionary<string, PropertyValue>(StringComparer.Ordinal);
        if (properties is not { } element || element.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return ("{}", values, null);
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            return ("", values, "properties must be a JSON object, e.g. {\"tokens\": 120}.");
        }

        foreach (var property in element.EnumerateObject())
        {
            if (values.Count >= MaxProperties)
            {
                return ("", values, $"properties has more than {MaxProperties} entries.");
            }

            if (property.Name.Length is 0 or > MaxPropertyNameLength)
            {
                return ("", values, $"Property names are 1 to {MaxPropertyNameLength} characters.");
            }

            switch (property.Value.ValueKind)
            {
                case JsonValueKind.Number when property.Value.TryGetDecimal(out var number):
                    values[property.Name] = PropertyValue.Of(number);
                    break;
                case JsonValueKind.Number:
                    return ("", values, $"Property '{property.Name}' is a number too large to bill exactly.");
                case JsonValueKind.String when property.Value.GetString()!.Length <= MaxTextValueLength:
                    values[property.Name] = PropertyValue.Of(property.Value.GetString()!);
                    break;
                case JsonValueKind.True or JsonValueKind.False:
                    values[property.Name] = PropertyValue.Of(property.Value.ValueKind == JsonValueKind.True ? "true" : "false");
                    break;
                case JsonValueKind.Null:
                    break;
                default:
                    return ("", values, $"Property '{property.Name}' must be a string (at most {MaxTextValueLength} characters), a number or a boolean.");
            }
        }

        if (values.Count == 0)
        {
            return ("{}", values, null);
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            var names = values.Keys.ToArray();
            Array.Sort(names, StringComparer.Ordinal);
            foreach (var name in names)
            {
                var value = values[name];
                if (value.Number is { } n)
                {
                    // Dividing by 1.000… drops trailing zeros, so 5 and 5.0 are written alike.
                    json.WriteNumber(name, n / 1.0000000000000000000000000000m);
                }
                else
                {
                    json.WriteString(name, value.Text);
                }
            }

            json.WriteEndObject();
        }

        return (Encoding.UTF8.GetString(buffer.WrittenSpan), values, null);
    }

    /// <summary>The first 128 bits of SHA-256 over customer, metric, time and canonical properties.</summary>
    private static string Hash(string customer, string metric, long ticks, string properties)
    {
        var payload = string.Create(CultureInfo.InvariantCulture, $"{customer}\n{metric}\n{ticks}\n{properties}");
        var rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(payload.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(payload, rented);
            Span<byte> digest = stackalloc byte[32];
            SHA256.HashData(rented.AsSpan(0, length), digest);
            return Convert.ToHexStringLower(digest[..16]);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
