using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Neruba.StripeFake;

/// <summary>Stripe's own example objects (embedded fixtures3.json subset): every response starts as a clone of one.</summary>
public static class StripeObjects
{
    private static readonly Lazy<JsonObject> Fixtures = new(Load);

    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>A fresh copy of the fixture for <paramref name="kind"/> (e.g. "charge", "checkout.session").</summary>
    public static JsonObject Clone(string kind) =>
        Fixtures.Value[kind]?.DeepClone() as JsonObject ?? throw new InvalidOperationException($"No fixture for {kind}");

    /// <summary>An id shaped like Stripe's: prefix, then random base62.</summary>
    public static string NewId(string prefix, int length = 24) => prefix + RandomNumberGenerator.GetString(Alphabet, length);

    public static JsonObject EmptyList(string url) =>
        new() { ["object"] = "list", ["data"] = new JsonArray(), ["has_more"] = false, ["url"] = url };

    public static JsonObject Metadata(JsonObject? fromForm, JsonObject? existing = null)
    {
        var metadata = existing?.DeepClone() as JsonObject ?? new JsonObject();
        foreach (var (key, value) in fromForm ?? [])
        {
            // Stripe: an empty value unsets the key.
            var text = value?.ToString() ?? string.Empty;
            if (text.Length == 0)
            {
                metadata.Remove(key);
            }
            else
            {
                metadata[key] = text;
            }
        }

        return metadata;
    }

    private static JsonObject Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Neruba.StripeFake.stripe-objects.json")
            ?? throw new InvalidOperationException("stripe-objects.json is not embedded");
        return JsonNode.Parse(stream)!.AsObject();
    }
}
