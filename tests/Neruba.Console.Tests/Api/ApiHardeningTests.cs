using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Neruba.Console.Tests.Support;
using Neruba.Domain.Access;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Credits;
using Neruba.Infrastructure.Persistence;
using Neruba.Infrastructure.UseCases;
using static Neruba.Console.Tests.Api.CreditsApiTests;
using static Neruba.Console.Tests.Api.CustomersApiTests;

namespace Neruba.Console.Tests.Api;

/// <summary>The review's attacks on the API, each refused over real HTTP with nothing changed.</summary>
public sealed class ApiHardeningTests : IDisposable
{
    private readonly ConsoleAppFactory _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task One_key_for_the_customer_by_external_id_and_then_by_neruba_id_posts_once()
    {
        using var writer = _app.CreateApiClient(await _app.CreateApiKeyAsync(null, ApiScopes.CreditsWrite));
        var customerId = await QueryAsync(db => db.Customers.Where(c => c.ExternalId == "cus_acme").Select(c => c.Id).SingleAsync());
        const string body = """{"amount":5,"currency":"USD","reasonCode":"goodwill"}""";

        using var first = await GrantAsync(writer, "same", body);
        using var second = await GrantAsync(writer, "same", body, customerId.ToString());

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(1, await QueryAsync(db => db.CreditGrants.CountAsync()));
    }

    [Fact]
    public async Task A_grant_made_with_an_admins_key_cannot_be_approved_by_that_admin()
    {
        using var writer = _app.CreateApiClient(await _app.CreateApiKeyAsync(null, ApiScopes.CreditsWrite));
        using var requested = await GrantAsync(writer, "big", """{"amount":500,"currency":"USD","reasonCode":"billing_error"}""");
        Assert.Equal(HttpStatusCode.Accepted, requested.StatusCode);
        var grantId = (await requested.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var decided = await _app.RunAsAdminAsync<DecideCreditGrant, DecideCreditGrant.Request, CreditGrantView>(new(grantId, true, "looks fine"));

        Assert.Equal(UseCaseStatus.Forbidden, decided.Status);
        Assert.Equal(CreditGrantStatus.PendingApproval, await QueryAsync(db => db.CreditGrants.Select(g => g.Status).SingleAsync()));
        Assert.Equal(0, await QueryAsync(db => db.JournalEntries.CountAsync()));
    }

    [Theory]
    [InlineData("""{"amount":1e27,"currency":"USD","reasonCode":"goodwill"}""", "amount")]
    [InlineData("""{"amount":1e40,"currency":"USD","reasonCode":"goodwill"}""", "amount")]
    [InlineData("""{"amount":99999999999999999999999999999,"currency":"USD","reasonCode":"goodwill"}""", "amount")]
    [InlineData("""{"amount":1000000000000,"currency":"USD","reasonCode":"goodwill"}""", "amount")]
    [InlineData("""{"amount":"5,50","currency":"USD","reasonCode":"goodwill"}""", "amount")]
    [InlineData("""{"amount":5,"amount":5000,"currency":"USD","reasonCode":"goodwill"}""", "amount")]
    [InlineData("""{"amount":5,"currency":"USD","reasonCode":"goodwill","approvedBy":"me"}""", "approvedBy")]
    [InlineData("""{"amount":5,"currency":"USD","reasonCode":"goodwill","expiresAt":"2030-01-01"}""", "expiresAt")]
    [InlineData("""{"amount":5,"currency":"USD","reasonCode":"goodwill","expiresAt":"2030-01-01T00:00:00"}""", "expiresAt")]
    [InlineData("""{"amount":5,"currency":"USD","reasonCode":"goodwill","expiresAt":"01/02/2030 10:00 +01:00"}""", "expiresAt")]
    [InlineData("""{"amount":5,"currency":"USD","reasonCode":"goodwill","note":"refund\u202Egnp.exe"}""", "note")]
    [InlineData("""{"amount":0.99999999999999999999999999999999,"currency":"USD","reasonCode":"goodwill"}""", "amount")]
    [InlineData("""{"amount":25.0000000000000000000000000001,"currency":"USD","reasonCode":"goodwill"}""", "amount")]
    [InlineData("""{"amount":2.5e1,"currency":"USD","reasonCode":"goodwill"}""", "amount")]
    public async Task Bad_grant_bodies_are_refused_with_a_problem_naming_the_field_and_post_nothing(string body, string field)
    {
        using var writer = _app.CreateApiClient(await _app.CreateApiKeyAsync(null, ApiScopes.CreditsWrite));

        using var response = await GrantAsync(writer, "k-" + Guid.NewGuid().ToString("N"), body);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, field);
        Assert.Equal(0, await QueryAsync(db => db.CreditGrants.CountAsync()));
    }

    [Theory]
    [InlineData("cus_\u202Eemca", "externalId")]
    [InlineData("cus_\u0007bell", "externalId")]
    [InlineData("cus_line\nbreak", "externalId")]
    [InlineData("cus_zero\u200Bwidth", "externalId")]
    [InlineData("cus_ok", "name", "Acme\uFEFF")]
    [InlineData("cus_ok", "email", null, "a\u202E@example.com")]
    [InlineData("cus_ok", "metadata", null, null, "v\u0000")]
    public async Task Ids_and_names_with_control_direction_or_invisible_characters_are_refused(string externalId, string field, string? name = null,
        string? email = null, string? metadataValue = null)
    {
        using var setup = _app.CreateApiClient(await _app.CreateApiKeyAsync(null, ApiScopes.SetupWrite));
        var before = await QueryAsync(db => db.Customers.CountAsync());

        using var response = await PostJsonAsync(setup, "/api/v1/customers", JsonSerializer.Serialize(new
        {
            externalId, name = name ?? "Look-alike", email, currency = "USD", timeZone = "UTC",
            metadata = new Dictionary<string, string> { ["crm"] = metadataValue ?? "42" },
        }));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, field);
        Assert.Equal(before, await QueryAsync(db => db.Customers.CountAsync()));
    }

    [Fact]
    public async Task Events_with_a_timestamp_that_is_not_rfc_3339_are_rejected_per_item()
    {
        using var setup = _app.CreateApiClient(await _app.CreateApiKeyAsync(null, ApiScopes.SetupWrite));
        using var usage = _app.CreateApiClient(await _app.CreateApiKeyAsync(null, ApiScopes.UsageWrite));
        using var metric = await SendJsonAsync(setup, HttpMethod.Put, "/api/v1/metrics/calls", """{"name":"Calls","aggregation":"count"}""");
        Assert.Equal(HttpStatusCode.OK, metric.StatusCode);

        using var response = await PostJsonAsync(usage, "/api/v1/events", """
            {"events":[
              {"eventId":"e1","customerId":"cus_acme","metric":"calls","occurredAt":"Tue, 24 Nov 2026 10:00:00 GMT"},
              {"eventId":"e2","customerId":"cus_acme","metric":"calls","occurredAt":"2026-11-24 10:00:00Z"},
              {"eventId":"e\u202E3","customerId":"cus_acme","metric":"calls","occurredAt":"2026-11-24T10:00:00Z"}]}
            """);

        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, result.GetProperty("rejected").GetInt32());
        Assert.Contains("RFC 3339", result.GetProperty("results")[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("direction", result.GetProperty("results")[2].GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_event_batch_with_a_field_sent_twice_is_refused_whole()
    {
        using var usage = _app.CreateApiClient(await _app.CreateApiKeyAsync(null, ApiScopes.UsageWrite));

        using var response = await PostJsonAsync(usage, "/api/v1/events",
            """{"events":[{"eventId":"e1","eventId":"e2","customerId":"cus_acme","metric":"calls","occurredAt":"2026-11-24T10:00:00Z"}]}""");

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, null);
    }

    [Fact]
    public async Task A_download_for_a_project_the_person_is_not_a_member_of_is_refused()
    {
        var foreign = await _app.RunAsAdminAsync<Neruba.Infrastructure.Access.Projects.CreateProject, Neruba.Infrastructure.Access.Projects.ProjectSettingsInput,
            Neruba.Infrastructure.Access.Projects.ProjectView>(new("Foreign", "USD", "UTC", "100"));
        using var member = await _app.SignedInMemberAsync("viewer@example.test", ProjectRole.Viewer);

        using var own = await member.GetAsync(new Uri($"/audit/export.csv?project={await _app.DemoProjectIdAsync()}", UriKind.Relative));
        using var other = await member.GetAsync(new Uri($"/audit/export.csv?project={foreign.Value!.Id}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, other.StatusCode);
        Assert.DoesNotContain("project.created", await other.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_customer_cannot_take_another_customers_neruba_id_as_its_external_id()
    {
        using var setup = _app.CreateApiClient(await _app.CreateApiKeyAsync(null, ApiScopes.SetupWrite));
        var acmeId = await QueryAsync(db => db.Customers.Where(c => c.ExternalId == "cus_acme").Select(c => c.Id).SingleAsync());

        using var response = await PostJsonAsync(setup, "/api/v1/customers",
            JsonSerializer.Serialize(new { externalId = acmeId.ToString(), name = "Impostor", currency = "USD", timeZone = "UTC" }));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "externalId");
    }

    [Fact]
    public async Task A_subscription_day_far_outside_the_calendar_is_a_400_not_a_500()
    {
        using var setup = _app.CreateApiClient(await _app.CreateApiKeyAsync(null, ApiScopes.SetupWrite));

        using var response = await PostJsonAsync(setup, "/api/v1/customers/cus_acme/subscriptions", """{"plan":"starter","startsOn":"9999-12-31"}""");

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "startsOn");
    }

    private async Task<T> QueryAsync<T>(Func<NerubaDbContext, Task<T>> query)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<NerubaDbContext>());
    }
}
