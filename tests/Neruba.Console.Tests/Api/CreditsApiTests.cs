using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Neruba.Console.Tests.Support;
using Neruba.Domain.Access;
using Neruba.Infrastructure.Access.Projects;
using Neruba.Infrastructure.Persistence;
using static Neruba.Console.Tests.Api.CustomersApiTests;

namespace Neruba.Console.Tests.Api;

public sealed class CreditsApiTests : IDisposable
{
    private readonly ConsoleAppFactory _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task A_grant_within_the_threshold_posts_and_the_balance_shows_it()
    {
        await SetThresholdAsync("100");
        using var writer = _app.CreateApiClient(await _app.CreateApiKeyAsync(null, ApiScopes.CreditsWrite));
        using var reader = _app.CreateApiClient(await _app.CreateApiKeyAsync(null, ApiScopes.CreditsRead));

        using var granted = await GrantAsync(writer, "key-1", """{"amount":25.00,"currency":"USD","reasonCode":"goodwill","note":"ticket 99"}""");

        Assert.Equal(HttpStatusCode.Created, granted.StatusCode);
        var grant = await granted.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("posted", grant.GetProperty("status").GetString());
        Assert.Equal(2500, grant.GetProperty("amount").GetProperty("amountMinor").GetInt64());

        var balance = await reader.GetFromJsonAsync<JsonElement>("/api/v1/customers/cus_acme/balance");
        var wallet = balance.GetProperty("wallets")[0];
        Assert.Equal("25.00", wallet.GetProperty("available").GetProperty("amount").GetString());
        Assert.Equal(1, wallet.GetProperty("blocks").GetArrayLength());
    }

    [Fact]
    public async Task A_replay_returns_the_first_result_and_posts_nothing_new()
    {
        using var writer = _app.CreateApiClient(await _app.CreateApiKeyAsync(null, ApiScopes.CreditsWrite));
        const string body = """{"amount":5,"currency":"USD","reasonCode":"goodwill"}""";

        using var first = await GrantAsync(writer, "same-key", body);
        using var second = await GrantAsync(writer, "same-key", body);

        Assert.Equal(first.StatusCode, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        await using var scope = _app.Services.CreateAsyncScope();
        Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<NerubaDbContext>().CreditGrants.CountAsync());
    }

    [Fact]
    public async Task A_replay_with_a_different_body_is_a_conflict()
    {
        using var writer = _app.CreateApiClient(await _app.CreateApiKeyAsync(null, ApiScopes.CreditsWrite));

        using var first = await GrantAsync(writer, "k", """{"amount":5,"currency":"USD","reasonCode":"goodwill"}""");
        using var changed = await GrantAsync(writer, "k", """{"amount":500,"currency":"USD","reasonCode":"goodwill"}""");

        var problem = await AssertProblemAsync(changed, HttpStatusCode.Conflict, null);
        Assert.Contains("different request", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_grant_without_an_idempotency_key_is_refused()
    {
        using var writer = _app.CreateApiClient(await _app.CreateApiKeyAsync(null, ApiScopes.CreditsWrite));

        using var response = await PostJsonAsync(writer, "/api/v1/customers/cus_acme/credit-grants", """{"amount":5,"currency":"USD","reasonCode":"goodwill"}""");

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "Idempotency-Key");
    }

    [Fact]
    public async Task A_large_grant_waits_for_approval_and_a_bad_amount_is_refused_and_can_be_corrected_under_the_same_key()
    {
        await SetThresholdAsync("100");
        using var writer = _app.CreateApiClient(await _app.CreateApiKeyAsync(null, ApiScopes.CreditsWrite));

        using var large = await GrantAsync(writer, "big", """{"amount":1000,"currency":"USD","reasonCode":"billing_error"}""", "cus_initech");
        using var bad = await GrantAsync(writer, "fix-me", """{"amount":1.001,"currency":"USD","reasonCode":"goodwill"}""");
        using var corrected = await GrantAsync(writer, "fix-me", """{"amount":1.00,"currency":"USD","reasonCode":"goodwill"}""");

        Assert.Equal(HttpStatusCode.Accepted, large.StatusCode);
        Assert.Equal("pendingApproval", (await large.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        await AssertProblemAsync(bad, HttpStatusCode.BadRequest, "amount");
        Assert.Equal(HttpStatusCode.Created, corrected.StatusCode);
    }

    private async Task SetThresholdAsync(string threshold)
    {
        var result = await _app.RunAsAdminAsync<UpdateProjectSettings, ProjectSettingsInput, ProjectView>(new("Demo project", "USD", "UTC", threshold));
        Assert.True(result.Succeeded, result.Message);
    }

    internal static Task<HttpResponseMessage> GrantAsync(HttpClient client, string key, string json, string customer = "cus_acme") =>
        SendJsonAsync(client, HttpMethod.Post, $"/api/v1/customers/{customer}/credit-grants", json, key);
}
