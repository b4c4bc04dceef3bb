using System.Text.Json;
using System.Text.Json.Serialization;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Console.Api;

/// <summary>
/// Reads request bodies strictly: JSON only, a size cap, no unknown fields, and errors that name
/// the field. A body that fails here changes nothing.
/// </summary>
public static class ApiJson
{
    public const int MaxBodyBytes = 64 * 1024;

    public static readonly JsonSerializerOptions Options = CreateOptions();

    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, int maxBytes = MaxBodyBytes)
        where T : class
    {
        if (!IsJson(request))
        {
            return (null, UnsupportedMediaType());
        }

        var (body, tooLarge) = await ReadBodyAsync(request, maxBytes);
        if (tooLarge is not null)
        {
            return (null, tooLarge);
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(body, Options);
            return value is null
                ? (null, ApiProblems.Problem(StatusCodes.Status400BadRequest, "The request is not valid.", "The body must be a JSON object."))
                : (value, null);
        }
        catch (JsonException exception)
        {
            return (null, NotJson(exception));
        }
    }

    /// <summary>The raw body, refused (413) past <paramref name="maxBytes"/> whatever Content-Length claims.</summary>
    public static async Task<(byte[] Body, IResult? Problem)> ReadBodyAsync(HttpRequest request, int maxBytes)
    {
        if (request.ContentLength > maxBytes)
        {
            return ([], TooLarge(maxBytes));
        }

        using var buffer = new MemoryStream(request.ContentLength is { } length ? (int)length : 16 * 1024);
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return ([], TooLarge(maxBytes));
            }

            buffer.Write(chunk, 0, read);
        }

        return (buffer.ToArray(), null);
    }

    public static IResult UnsupportedMediaType() => ApiProblems.Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type.",
        "Send the body as JSON with the header Content-Type: application/json.");

    public static bool IsJson(HttpRequest request) =>
        request.ContentType is { } type && type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase);

    /// <summary>A 400 problem for a body that is not valid JSON, naming where it broke.</summary>
    public static IResult NotJson(JsonException exception)
    {
        var (field, message) = Explain(exception);
        return ApiProblems.Problem(StatusCodes.Status400BadRequest, "The request is not valid.", message, new Dictionary<string, string[]> { [field] = [message] });
    }

    private static IResult TooLarge(int maxBytes) =>
        ApiProblems.Problem(StatusCodes.Status413PayloadTooLarge, "The body is too large.", $"Send at most {maxBytes / 1024} KiB in one request.");

    /// <summary>Turns the serializer's message into a sentence that names the field (by its JSON name).</summary>
    private static (string Field, string Message) Explain(JsonException exception)
    {
        var path = exception.Path ?? "$";
        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path == "$" ? "body" : path;
        var text = exception.Message;
        if (text.Contains("could not be mapped", StringComparison.Ordinal))
        {
            return (field, $"Unknown field '{field}'. Remove it; the API accepts only documented fields.");
        }

        if (text.Contains("Duplicate", StringComparison.OrdinalIgnoreCase))
        {
            return (field, $"The field '{field}' appears more than once; send each field once.");
        }

        if (text.StartsWith(JsonAmount.NotANumber, StringComparison.Ordinal))
        {
            return (field, $"'{field}' must be a JSON number such as 25.00.");
        }

        if (text.StartsWith(Rfc3339Converter.Prefix, StringComparison.Ordinal))
        {
            return (field, $"'{field}' must be {TextRules.TimestampHint}.");
        }

        if (text.Contains("could not be converted", StringComparison.Ordinal))
        {
            return (field, $"The value of '{field}' has the wrong type.");
        }

        return (field, field == "body" ? "The body is not valid JSON." : $"The body is not valid JSON near '{field}'.");
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            AllowTrailingCommas = false,
            AllowDuplicateProperties = false,
            ReadCommentHandling = JsonCommentHandling.Disallow,
            NumberHandling = JsonNumberHandling.Strict,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.Converters.Add(new Rfc3339Converter());
        return options;
    }

    /// <summary>Timestamps in request bodies are RFC 3339 with a zone; the serializer's looser ISO 8601 (no zone = local time) is refused.</summary>
    private sealed class Rfc3339Converter : JsonConverter<DateTimeOffset>
    {
        public const string Prefix = "RFC 3339:";

        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String && TextRules.TryParseTimestamp(reader.GetString(), out var at)
                ? at
                : throw new JsonException(Prefix + " not a timestamp with a zone.");

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }
}
