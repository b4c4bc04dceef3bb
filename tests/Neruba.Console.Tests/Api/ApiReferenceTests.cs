using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Neruba.Console.Api;
using Neruba.Console.Tests.Support;
using Neruba.Domain.Access;

namespace Neruba.Console.Tests.Api;

/// <summary>The API reference: generated from the app's own endpoints, every example valid against its schema, shown to signed-in members only.</summary>
public sealed class ApiReferenceTests : IDisposable
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];
    private readonly ConsoleAppFactory _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Every_api_endpoint_is_in_the_document_with_its_method_and_path_and_nothing_else_is()
    {
        var document = await DocumentAsync();
        var mapped = _app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith(ApiRegistration.Prefix + "/", StringComparison.Ordinal) == true)
            .SelectMany(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()!.HttpMethods
                .Select(m => $"{m.ToUpperInvariant()} {Normalize(e.RoutePattern.RawText!)}"))
            .ToHashSet(StringComparer.Ordinal);
        var documented = Operations(document).Select(o => $"{o.Method.ToUpperInvariant()} {Normalize(o.Path)}").ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(mapped);
        Assert.Empty(mapped.Except(documented));
        Assert.Empty(documented.Except(mapped));
    }

    [Fact]
    public async Task Every_operation_names_its_scope_in_its_security_and_description_and_lists_problem_details()
    {
        var document = await DocumentAsync();
        var scheme = document["components"]!["securitySchemes"]!["ApiKey"]!;
        Assert.Equal("http", (string?)scheme["type"]);
        Assert.Equal("bearer", (string?)scheme["scheme"]);
        var areas = document["tags"]!.AsArray().Select(t => (string)t!["name"]!).ToList();

        foreach (var (method, path, operation) in Operations(document))
        {
            var name = $"{method.ToUpperInvariant()} {path}";
            var scopes = operation["security"]?.AsArray().SelectMany(r => r!.AsObject()).Where(r => r.Key == "ApiKey")
                .SelectMany(r => r.Value!.AsArray().Select(s => (string)s!)).ToList() ?? [];
            var scope = Assert.Single(scopes);
            Assert.True(ApiScopes.IsKnown(scope), $"{name} requires the unknown scope {scope}.");
            Assert.Contains($"Scope: `{scope}`", (string?)operation["description"] ?? "", StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace((string?)operation["summary"]), $"{name} has no summary.");
            Assert.Contains((string)Assert.Single(operation["tags"]!.AsArray())!, areas);

            var problems = operation["responses"]!.AsObject().Where(r => r.Value!["content"]?["application/problem+json"] is not null).Select(r => r.Key).ToList();
            Assert.True(problems.Contains("401") && problems.Contains("403"), $"{name} lists the problems {string.Join(", ", problems)}, not 401 and 403.");
            Assert.True(operation["responses"]!.AsObject().Any(r => r.Key.StartsWith('2')), $"{name} has no success response.");
        }
    }

    [Fact]
    public async Task Every_request_has_an_example_and_every_example_validates_against_its_schema()
    {
        var document = await DocumentAsync();
        var definitions = document["components"]!["schemas"]!.ToJsonString();
        var checkedExamples = 0;
        foreach (var (method, path, operation) in Operations(document))
        {
            if (method is "post" or "put" or "patch")
            {
                Assert.True(operation["requestBody"]?["content"]?["application/json"]?["example"] is not null, $"{method.ToUpperInvariant()} {path} has no request example.");
            }

            var media = new List<(string Where, JsonNode? Media)> { ("request", operation["requestBody"]?["content"]?["application/json"]) };
            media.AddRange(operation["responses"]!.AsObject().SelectMany(r => r.Value!["content"]?.AsObject().Select(c => ($"{r.Key} {c.Key}", c.Value))
                ?? []));
            media.AddRange(operation["parameters"]?.AsArray().Select(p => ($"parameter {p!["name"]}", (JsonNode?)p)) ?? []);
            foreach (var (where, item) in media)
            {
                if (item?["example"] is not { } example)
                {
                    continue;
                }

                var results = Schema(item["schema"]!, definitions, checkedExamples).Evaluate(JsonDocument.Parse(example.ToJsonString()).RootElement,
                    new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
                Assert.True(results.IsValid, $"{method.ToUpperInvariant()} {path} {where}: the example does not match its schema: " +
                    string.Join("; ", results.Details?.Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} {e.Value}")) ?? []));
                checkedExamples++;
            }
        }

        Assert.True(checkedExamples > 40, $"Only {checkedExamples} examples were checked.");
    }

    [Fact]
    public async Task The_request_examples_are_accepted_by_the_api()
    {
        var document = await DocumentAsync();
        using var setup = _app.CreateApiClient(await _app.CreateApiKeyAsync(null, ApiScopes.SetupWrite));
        foreach (var path in new[] { "/api/v1/customers", "/api/v1/metrics/{code}" })
        {
            var operation = document["paths"]!.AsObject().Single(p => p.Key.TrimEnd('/') == path).Value!;
            var (method, body) = operation["post"] is { } post ? (HttpMethod.Post, post) : (HttpMethod.Put, operation["put"]!);
            using var request = new HttpRequestMessage(method, new Uri(path.Replace("{code}", "api_calls", StringComparison.Ordinal), UriKind.Relative))
            {
                Content = new StringContent(body["requestBody"]!["content"]!["application/json"]!["example"]!.ToJsonString(), Encoding.UTF8, "application/json"),
            };
            using var response = await setup.SendAsync(request);
            Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    [Theory]
    [InlineData("/openapi/v1.json")]
    [InlineData("/api-reference")]
    public async Task The_reference_needs_a_sign_in(string path)
    {
        using var anonymous = _app.CreateBrowserClient();
        using var response = await anonymous.GetAsync(new Uri(path, UriKind.Relative));

        Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Unauthorized, $"{path} answered {(int)response.StatusCode}.");
        if (response.StatusCode == HttpStatusCode.Redirect)
        {
            Assert.Contains("/account/sign-in", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_signed_in_member_reads_the_page_whose_script_comes_from_the_app_and_runs_under_a_nonce()
    {
        using var viewer = await _app.SignedInMemberAsync("viewer@example.test", ProjectRole.Viewer);

        using var document = await viewer.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        using var page = await viewer.GetAsync(new Uri("/api-reference/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, document.StatusCode);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        var csp = string.Join(' ', page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self' 'nonce-", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline';", csp.Split("style-src")[0], StringComparison.Ordinal);
        Assert.DoesNotContain("cdn.", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("openapi", html, StringComparison.Ordinal);
    }

    private async Task<JsonNode> DocumentAsync()
    {
        using var admin = _app.CreateBrowserClient();
        await admin.SignInAsync(ConsoleAppFactory.AdminEmail, ConsoleAppFactory.AdminPassword);
        using var response = await admin.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private static IEnumerable<(string Method, string Path, JsonNode Operation)> Operations(JsonNode document) =>
        document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject().Where(o => Methods.Contains(o.Key)).Select(o => (o.Key, path.Key, o.Value!)));

    /// <summary>An OpenAPI 3.1 schema with its component $refs, as a stand-alone JSON Schema: the components become $defs.</summary>
    private static JsonSchema Schema(JsonNode schema, string definitions, int number)
    {
        var text = $$"""{"$schema":"https://json-schema.org/draft/2020-12/schema","$defs":{{definitions}},"allOf":[{{schema.ToJsonString()}}]}""";
        return JsonSchema.FromText(text.Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal), baseUri: new Uri($"https://neruba.test/schema/{number}"));
    }

    /// <summary>Route parameters by position (the document may name a constraint-free parameter the same), no trailing slash.</summary>
    private static string Normalize(string path) => path.TrimEnd('/');
}
