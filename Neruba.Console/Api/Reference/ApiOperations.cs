using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Neruba.Console.Api.Reference;

/// <summary>Adds to each API operation what the endpoint's metadata knows: its scope, the Idempotency-Key header, examples and problem examples.</summary>
internal static class ApiOperations
{
    public const string ProblemContentType = "application/problem+json";

    public static async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<ApiExampleMetadata>().FirstOrDefault(e => e.Status is null) is { } request)
        {
            // The handlers read their bodies themselves (ApiJson), so the body is described from the request example's type.
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(request.Example.GetType(), null, cancellationToken) },
                },
            };
        }

        if (metadata.OfType<ApiScopeMetadata>().FirstOrDefault() is { } scope)
        {
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiReference.SecuritySchemeName, context.Document)] = [scope.Scope] }];
            operation.Description = $"{operation.Description}\n\nScope: `{scope.Scope}`.".TrimStart();
        }

        if (metadata.OfType<ApiIdempotencyMetadata>().FirstOrDefault() is { } idempotency)
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = ApiIdempotency.Header,
                In = ParameterLocation.Header,
                Required = idempotency.Required,
                Description = (idempotency.Required ? "Required. " : "Optional; without it the change runs on every request. ") +
                    $"A unique key per change (1 to 255 printable characters, e.g. a UUID): a retry with the same key and body gets the first answer " +
                    $"back with `{ApiIdempotency.ReplayedHeader}: true` instead of changing anything twice.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 255 },
                Example = JsonValue.Create("3f1c8a2e-7b6d-4e59-9a41-2c0d5e8b7f13"),
            });
        }

        foreach (var example in metadata.OfType<ApiExampleMetadata>())
        {
            var content = example.Status is { } status
                ? (operation.Responses is { } responses && responses.TryGetValue(status.ToString(System.Globalization.CultureInfo.InvariantCulture), out var response)
                    ? response.Content : null)
                : operation.RequestBody?.Content;
            if (content is not null && content.TryGetValue("application/json", out var media) && media is OpenApiMediaType json)
            {
                json.Example = ToJson(example.Example);
            }
        }

        foreach (var (status, response) in operation.Responses ?? [])
        {
            if (response.Content is { } content && content.TryGetValue(ProblemContentType, out var media) && media is OpenApiMediaType problem
                && int.TryParse(status, out var code))
            {
                problem.Example = ToJson(ApiProblemExamples.For(code));
                if (response is OpenApiResponse concrete)
                {
                    concrete.Description = ApiProblemExamples.Describe(code);
                }
            }
        }
    }

    /// <summary>Serialized exactly as the API writes it.</summary>
    public static JsonNode? ToJson(object value) => JsonNode.Parse(JsonSerializer.Serialize(value, value.GetType(), ApiJson.Options));
}
