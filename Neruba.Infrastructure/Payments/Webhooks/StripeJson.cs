using System.Globalization;
using System.Text.Json;

namespace Neruba.Infrastructure.Payments.Webhooks;

/// <summary>
/// Reads the fields Neruba acts on from a Stripe object's JSON, tolerantly: an event from another API version may lack a field or carry an
/// expanded object where an id was expected, and neither may break processing.
/// </summary>
internal readonly record struct StripeJson(JsonElement Element)
{
    public string? Text(string name) => Element.ValueKind == JsonValueKind.Object && Element.TryGetProperty(name, out var value)
        ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Object when value.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String => id.GetString(),
            _ => null,
        }
        : null;

    public long? Number(string name) =>
        Element.ValueKind == JsonValueKind.Object && Element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
        && value.TryGetInt64(out var number) ? number : null;

    public StripeJson? Child(string name) =>
        Element.ValueKind == JsonValueKind.Object && Element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object
            ? new StripeJson(value) : null;

    public string? Metadata(string key) => Child("metadata")?.Text(key);

    public Guid? MetadataId(string key) => Guid.TryParse(Metadata(key), CultureInfo.InvariantCulture, out var id) ? id : null;

    /// <summary>The items of a Stripe list field (e.g. a charge's <c>refunds</c>), or nothing.</summary>
    public IEnumerable<StripeJson> ListItems(string name) =>
        Child(name)?.Element is { } list && list.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array
            ? data.EnumerateArray().Select(item => new StripeJson(item)).ToList()
            : [];

    /// <summary>The items of a plain array field (e.g. a dispute's <c>balance_transactions</c>), or nothing.</summary>
    public IEnumerable<StripeJson> ArrayItems(string name) =>
        Element.ValueKind == JsonValueKind.Object && Element.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().Where(item => item.ValueKind == JsonValueKind.Object).Select(item => new StripeJson(item)).ToList()
            : [];

    public bool Flag(string name) =>
        Element.ValueKind == JsonValueKind.Object && Element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    public DateTimeOffset? Time(string name) => Number(name) is { } seconds ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;

    public string Currency => (Text("currency") ?? "").ToUpperInvariant();
}
