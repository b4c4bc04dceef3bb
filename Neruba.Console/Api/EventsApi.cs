using System.Text.Json;
using Neruba.Domain.Access;
using Neruba.Infrastructure.Metering;

namespace Neruba.Console.Api;

/// <summary><c>POST /api/v1/events</c>: up to 1,000 usage events per request, each answered on its own.</summary>
public static class EventsApi
{
    public const int MaxBodyBytes = 2 * 1024 * 1024;
    private static readonly HashSet<string> KnownFields = new(StringComparer.Ordinal) { "eventId", "customerId", "metric", "occurredAt", "properties" };

    public sealed record ItemDto(int Index, string? EventId, string Status, string? Reason, bool Late);

    public sealed record ResponseDto(int Accepted, int Duplicates, int Conflicts, int Rejected, int Late, IReadOnlyList<ItemDto> Results);

    public static void MapEventsApi(this RouteGroupBuilder api) =>
        api.MapPost("/events", IngestAsync).RequireScope(ApiScopes.UsageWrite).WithTags("Events").IngestDocs();

    private static async Task<IResult> IngestAsync(HttpContext http, IngestService ingest)
    {
        if (!ApiJson.IsJson(http.Request))
        {
            return ApiJson.UnsupportedMediaType();
        }

        var (body, tooLarge) = await ApiJson.ReadBodyAsync(http.Request, MaxBodyBytes);
        if (tooLarge is not null)
        {
            return tooLarge;
        }

        // The document stays alive until the events are stored: events point into it instead of copying their properties.
        JsonDocument document;
        try
        {
            // A field sent twice could be read either way by different consumers: refuse it.
            document = JsonDocument.Parse(body, new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException exception)
        {
            return ApiJson.NotJson(exception);
        }

        using var _ = document;
        var (events, problem) = ReadEvents(document.RootElement);
        if (problem is not null)
        {
            return problem;
        }

        IngestResult result;
        try
        {
            result = await ingest.IngestAsync(ApiActor.From(http.User)!.ProjectId, events!, null, http.RequestAborted);
        }
        catch (IngestFailedException failure)
        {
            return ApiProblems.Problem(StatusCodes.Status503ServiceUnavailable, "Events not stored.", failure.Message);
        }
        catch (IngestQueueFullException full)
        {
            // Backpressure: the client waits and resends instead of the queue growing without bound.
            http.Response.Headers.RetryAfter = Math.Ceiling(full.RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return ApiProblems.Problem(StatusCodes.Status503ServiceUnavailable, "Events not stored.", full.Message);
        }

        return Results.Json(new ResponseDto(result.Accepted, result.Duplicates, result.Conflicts, result.Rejected, result.Late,
            result.Items.Select(i => new ItemDto(i.Index, i.EventId, i.Status.ToString().ToLowerInvariant(), i.Reason, i.Late)).ToList()), ApiJson.Options);
    }

    /// <summary>Reads <c>{"events": [...]}</c>. A malformed body is refused whole; a malformed event is rejected on its own.</summary>
    private static (IReadOnlyList<IncomingEvent>? Events, IResult? Problem) ReadEvents(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("events", out var array) || array.ValueKind != JsonValueKind.Array)
        {
            return (null, Invalid("events", "The body is {\"events\": [ ... ]} with 1 to 1,000 events."));
        }

        var count = array.GetArrayLength();
        if (count is 0 or > IngestService.MaxEventsPerRequest)
        {
            return (null, Invalid("events", $"Send 1 to {IngestService.MaxEventsPerRequest:N0} events per request; this one has {count:N0}."));
        }

        var events = new List<IncomingEvent>(count);
        foreach (var item in array.EnumerateArray())
        {
            events.Add(ReadEvent(item));
        }

        return (events, null);
    }

    private static IncomingEvent ReadEvent(JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return new IncomingEvent(null, null, null, null, null, "Each event must be a JSON object.");
        }

        string? Text(string name, out string? error)
        {
            error = null;
            if (!item.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.String)
            {
                error = $"{name} must be a string.";
                return null;
            }

            return value.GetString();
        }

        var eventId = Text("eventId", out var e1);
        var customer = Text("customerId", out var e2);
        var metric = Text("metric", out var e3);
        var occurredAt = Text("occurredAt", out var e4);
        var unknown = item.EnumerateObject().Select(p => p.Name).FirstOrDefault(n => !KnownFields.Contains(n));
        var error = e1 ?? e2 ?? e3 ?? e4 ?? (unknown is null ? null : $"Unknown field '{unknown}'; events have eventId, customerId, metric, occurredAt and properties.");
        JsonElement? properties = item.TryGetProperty("properties", out var p) ? p : null;
        return new IncomingEvent(eventId, customer, metric, occurredAt, properties, error);
    }

    private static IResult Invalid(string field, string message) =>
        ApiProblems.Problem(StatusCodes.Status400BadRequest, "The request is not valid.", message, new Dictionary<string, string[]> { [field] = [message] });
}
