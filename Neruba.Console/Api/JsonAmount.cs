using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Neruba.Console.Api;

/// <summary>
/// An amount as the client wrote it in the JSON: the number's own digits. Read as a decimal, 0.99999999999999999999999999999
/// would be rounded to 1.00 before any rule saw it; kept as text, the money parser refuses what it cannot take exactly.
/// </summary>
[JsonConverter(typeof(JsonAmountConverter))]
public readonly record struct JsonAmount(string Text)
{
    public const string NotANumber = "An amount is a JSON number";

    private sealed class JsonAmountConverter : JsonConverter<JsonAmount>
    {
        public override JsonAmount Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Number
                ? new JsonAmount(Encoding.UTF8.GetString(reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan))
                : throw new JsonException(NotANumber + ", e.g. 25.00.");

        public override void Write(Utf8JsonWriter writer, JsonAmount value, JsonSerializerOptions options) => writer.WriteRawValue(value.Text);
    }
}
