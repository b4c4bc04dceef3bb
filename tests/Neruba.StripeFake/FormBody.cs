using System.Globalization;
using System.Text.Json.Nodes;

namespace Neruba.StripeFake;

/// <summary>
/// Stripe's form encoding (<c>metadata[k]=v</c>, <c>line_items[0][quantity]=2</c>, <c>expand[]=x</c>) read into a JSON tree:
/// indexed keys stay object keys ("0", "1"), <c>[]</c> appends to an array; <see cref="Items"/> reads both alike.
/// </summary>
public sealed class FormBody
{
    public FormBody(JsonObject root) => Root = root;

    public JsonObject Root { get; }

    public static FormBody Parse(string? encoded)
    {
        var root = new JsonObject();
        if (string.IsNullOrEmpty(encoded))
        {
            return new FormBody(root);
        }

        foreach (var pair in encoded.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Decode(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? string.Empty : Decode(pair[(eq + 1)..]);
            Set(root, Segments(key), value);
        }

        return new FormBody(root);
    }

    public static FormBody FromPairs(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var root = new JsonObject();
        foreach (var (key, value) in pairs)
        {
            Set(root, Segments(key), value);
        }

        return new FormBody(root);
    }

    public string? Str(params string[] path) => Node(path) is JsonValue v ? v.ToString() : null;

    public JsonObject? Obj(params string[] path) => Node(path) as JsonObject;

    public long? Number(params string[] path)
    {
        var s = Str(path);
        if (s is null)
        {
            return null;
        }

        return long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw StripeApiException.Invalid($"Invalid integer: {s}", string.Join('.', path));
    }

    public bool? Bool(params string[] path) => Str(path) switch
    {
        null => null,
        "true" => true,
        "false" => false,
        var s => throw StripeApiException.Invalid($"Invalid boolean: {s}", string.Join('.', path)),
    };

    public bool Has(string key) => Root.ContainsKey(key);

    /// <summary>Values of <c>expand[]</c> / <c>expand[0]</c>.</summary>
    public IReadOnlyList<string> Expand => [.. Items(Root["expand"]).Select(n => n?.ToString() ?? string.Empty)];

    /// <summary>Children of an array or of an object keyed by index, in index order.</summary>
    public static IEnumerable<JsonNode?> Items(JsonNode? node) => node switch
    {
        JsonArray a => a,
        JsonObject o => o.OrderBy(p => int.TryParse(p.Key, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : int.MaxValue)
            .Select(p => p.Value),
        _ => [],
    };

    public JsonNode? Node(params string[] path)
    {
        JsonNode? node = Root;
        foreach (var segment in path)
        {
            node = node is JsonObject o && o.TryGetPropertyValue(segment, out var child) ? child : null;
        }

        return node;
    }

    private static string Decode(string s) => Uri.UnescapeDataString(s.Replace('+', ' '));

    private static List<string> Segments(string key)
    {
        var open = key.IndexOf('[', StringComparison.Ordinal);
        if (open < 0)
        {
            return [key];
        }

        var segments = new List<string> { key[..open] };
        foreach (var part in key[open..].Split('[', StringSplitOptions.RemoveEmptyEntries))
        {
            segments.Add(part.TrimEnd(']'));
        }

        return segments;
    }

    private static void Set(JsonObject root, List<string> segments, string value)
    {
        JsonNode parent = root;
        for (var i = 0; i < segments.Count - 1; i++)
        {
            var next = segments[i + 1].Length == 0 ? (JsonNode)new JsonArray() : new JsonObject();
            parent = Child(parent, segments[i], next);
        }

        Child(parent, segments[^1], JsonValue.Create(value));
    }

    // Returns the existing child, or adds the given one ("" appends to an array).
    private static JsonNode Child(JsonNode parent, string segment, JsonNode created)
    {
        if (parent is JsonArray array)
        {
            array.Add(created);
            return created;
        }

        var obj = (JsonObject)parent;
        if (segment.Length > 0 && obj.TryGetPropertyValue(segment, out var existing) && existing is JsonObject or JsonArray)
        {
            return existing;
        }

        obj[segment] = created;
        return created;
    }
}
