using System.Globalization;
using System.Text.Json.Nodes;

namespace Neruba.StripeFake;

internal static class JsonNumbers
{
    /// <summary>A stored number as long, whether it was set from an int, a long or parsed JSON.</summary>
    public static long AsLong(this JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v when v.TryGetValue<int>(out var i) => i,
        JsonValue v => long.Parse(v.ToJsonString(), CultureInfo.InvariantCulture),
        _ => throw new InvalidOperationException("Not a number: " + node?.ToJsonString()),
    };
}
