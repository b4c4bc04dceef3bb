using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Neruba.Console.Tests.Support;
using Neruba.Domain.Access;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Console.Tests.Api;

public sealed class CustomersApiTests : IDisposable
{
    private readonly ConsoleAppFactory _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task A_key_with_setup_write_creates_a_customer_that_billing_read_reads_back()
    {
        using var writer = _app.CreateApiClient(await _app.CreateApiKeyAsync(null, ApiScopes.SetupWrite));
        using var reader = _app.CreateApiClient(await _app.CreateApiKeyAsync(null, ApiScopes.BillingRead));

        using var created = await PostJsonAsync(writer, "/api/v1/customers",
            """{"externalId":"cus_api_1","name":"API Customer","email":"ap@api.example","currency":"EUR","timeZone":"Europe/Berlin","metadata":{"crm":"42"}}""");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = body.GetProperty("id").GetString();
        Assert.Equal($"/api/v1/customers/{id}", created.Headers.Location?.OriginalString);

        var byExternalId = await reader.GetFromJsonAsync<JsonElement>("/api/v1/customers/cus_api_1");
        Assert.Equal(id, byExternalId.GetProperty("id").GetString());
        Assert.Equal("EUR", byExternalId.GetProperty("currency").GetString());
        Assert.Equal("42", byExternalId.GetProperty("metadata").GetProperty("crm").GetString());

        var list = await reader.GetFromJsonAsync<JsonElement>("/api/v1/customers?search=API%20Cust");
        Assert.Equal(1, list.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Updating_changes_the_details_but_never_the_external_id()
    {
        using var writer = _app.CreateApiClient(await _app.CreateApiKeyAsync(null, ApiScopes.SetupWrite));

        using var updated = await SendJsonAsync(writer, HttpMethod.Put, "/api/v1/customers/cus_acme",
            """{"name":"Acme Renamed","currency":"USD","timeZone":"UTC"}""");
        using var renamed = await SendJsonAsync(writer, HttpMethod.Put, "/api/v1/customers/cus_acme",
            """{"externalId":"cus_other","name":"Acme","currency":"USD","timeZone":"UTC"}""");

        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal("Acme Renamed", (await updated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("name").GetString());
        await AssertProblemAsync(renamed, HttpStatusCode.BadRequest, "externalId");
    }

    [Fact]
    public async Task Missing_fields_are_refused_naming_each_field_and_nothing_is_stored()
    {
        using var writer = _app.CreateApiClient(await _app.CreateApiKeyAsync(null, ApiScopes.SetupWrite));

        using var response = await PostJsonAsync(writer, "/api/v1/customers", """{"email":"not-an-email"}""");

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "externalId");
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("name", out _));
        Assert.True(errors.TryGetProperty("email", out _));
        Assert.True(errors.TryGetProperty("currency", out _));
        Assert.Equal(6, await CustomerCountAsync());
    }

    [Fact]
    public async Task Overlong_strings_are_refused_naming_the_field()
    {
        using var writer = _app.CreateApiClient(await _app.CreateApiKeyAsync(null, ApiScopes.SetupWrite));

        using var response = await PostJsonAsync(writer, "/api/v1/customers",
            $$"""{"externalId":"{{new string('x', 101)}}","name":"{{new string('n', 201)}}","currency":"USD"}""");

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "externalId");
        Assert.Contains("at most 200", problem.GetProperty("errors").GetProperty("name")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_duplicate_external_id_is_a_conflict_naming_the_id()
    {
        using var writer = _app.CreateApiClient(await _app.CreateApiKeyAsync(null, ApiScopes.SetupWrite));

        using var response = await PostJsonAsync(writer, "/api/v1/customers", """{"externalId":"cus_acme","name":"Second Acme","currency":"USD"}""");

        var problem = await AssertProblemAsync(response, HttpStatusCode.Conflict, null);
        Assert.Contains("cus_acme", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(6, await CustomerCountAsync());
    }

    [Theory]
    [InlineData("""{"externalId":"x","name":""", "name")]
    [InlineData("""{"externalId":"x","name":"N","currency":"USD","discount":5}""", "discount")]
    [InlineData("""{"externalId":"x","name":42,"currency":"USD"}""", "name")]
    [InlineData("""[1,2,3]""", "body")]
    public async Task Malformed_json_unknown_fields_and_wrong_types_are_refused_naming_the_field(string json, string field)
    {
        using var writer = _app.CreateApiClient(await _app.CreateApiKeyAsync(null, ApiScopes.SetupWrite));

        using var response = await PostJsonAsync(writer, "/api/v1/customers", json);

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, field);
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        Assert.Equal(6, await CustomerCountAsync());
    }

    [Fact]
    public async Task A_body_that_is_not_json_or_too_large_is_refused()
    {
        using var writer = _app.CreateApiClient(await _app.CreateApiKeyAsync(null, ApiScopes.SetupWrite));

        using var text = new StringContent("externalId=x", Encoding.UTF8, "text/plain");
        using var notJson = await writer.PostAsync(new Uri("/api/v1/customers", UriKind.Relative), text);
        using var tooLarge = await PostJsonAsync(writer, "/api/v1/customers", $$"""{"externalId":"x","name":"{{new string('n', 70_000)}}"}""");

        await AssertProblemAsync(notJson, HttpStatusCode.UnsupportedMediaType, null);
        await AssertProblemAsync(tooLarge, HttpStatusCode.RequestEntityTooLarge, null);
    }

    [Fact]
    public async Task A_key_never_reads_another_projects_customers()
    {
        var other = await _app.RunAsAdminAsync<Neruba.Infrastructure.Access.Projects.CreateProject, Neruba.Infrastructure.Access.Projects.ProjectSettingsInput, Neruba.Infrastructure.Access.Projects.ProjectView>(
            new("Other project", "EUR", "UTC", "100"));
        using var foreignReader = _app.CreateApiClient(await _app.CreateApiKeyAsync(other.Value!.Id, ApiScopes.BillingRead));
        using var foreignWriter = _app.CreateApiClient(await _app.CreateApiKeyAsync(other.Value!.Id, ApiScopes.SetupWrite));

        using var read = await foreignReader.GetAsync(new Uri("/api/v1/customers/cus_acme", UriKind.Relative));
        var list = await foreignReader.GetFromJsonAsync<JsonElement>("/api/v1/customers");
        using var write = await SendJsonAsync(foreignWriter, HttpMethod.Put, "/api/v1/customers/cus_acme", """{"name":"Hijacked","currency":"USD"}""");
        using var sameExternalId = await PostJsonAsync(foreignWriter, "/api/v1/customers", """{"externalId":"cus_acme","name":"Own Acme","currency":"EUR"}""");

        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.Equal(0, list.GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, write.StatusCode);
        Assert.Equal(HttpStatusCode.Created, sameExternalId.StatusCode);
    }

    internal static Task<HttpResponseMessage> PostJsonAsync(HttpClient client, string path, string json) =>
        SendJsonAsync(client, HttpMethod.Post, path, json);

    internal static async Task<HttpResponseMessage> SendJsonAsync(HttpClient client, HttpMethod method, string path, string json, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await client.SendAsync(request);
    }

    internal static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? field)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        if (field is not null)
        {
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"No error for '{field}' in {problem}");
        }

        return problem;
    }

    private async Task<int> CustomerCountAsync()
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NerubaDbContext>();
        var demo = await _app.DemoProjectIdAsync();
        return await db.Customers.CountAsync(c => c.ProjectId == demo);
    }
}
