using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Neruba.Console.Api.Reference;

/// <summary>Schemas for the types the API reads with its own converters, which the generator cannot see into.</summary>
internal static class ApiSchemas
{
    // DTOs are nested in their area (CreditNotesApi.CreditNoteDto, CorrectionsApi.CreditNoteDto): a name two areas use gets its area's prefix.
    private static readonly HashSet<string> SharedNames = typeof(ApiJson).Assembly.GetTypes()
        .Where(t => t.DeclaringType is { } area && area.Namespace == typeof(ApiJson).Namespace && area.Name.EndsWith("Api", StringComparison.Ordinal))
        .GroupBy(t => t.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);

    public static string? ReferenceId(System.Text.Json.Serialization.Metadata.JsonTypeInfo info) =>
        info.Type.DeclaringType is { } area && SharedNames.Contains(info.Type.Name)
            ? area.Name[..^"Api".Length] + info.Type.Name
            : Microsoft.AspNetCore.OpenApi.OpenApiOptions.CreateDefaultSchemaReferenceId(info);

    public static Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        var nullable = Nullable.GetUnderlyingType(type) is not null;
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(JsonAmount))
        {
            // Written as the client's own digits, read as a JSON number (never a string) in major units.
            schema.Type = nullable ? JsonSchemaType.Number | JsonSchemaType.Null : JsonSchemaType.Number;
            schema.Description ??= "An amount in major units of the currency, as a JSON number, e.g. 25.00.";
        }
        else if (type == typeof(DateTimeOffset))
        {
            schema.Type = nullable ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
            schema.Format = "date-time";
            schema.Description ??= "An RFC 3339 timestamp with a zone, e.g. 2026-11-01T00:00:00Z.";
        }

        else if (type.Namespace == typeof(ApiJson).Namespace && type.Name.EndsWith("Body", StringComparison.Ordinal))
        {
            // Request bodies are records whose every field may be left out: which ones a request needs is checked, in words, by the use case.
            schema.Required?.Clear();
        }

        return Task.CompletedTask;
    }
}
