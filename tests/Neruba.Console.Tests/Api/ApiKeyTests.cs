using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Neruba.Console.Api;
using Neruba.Console.Tests.Support;
using Neruba.Domain.Access;
using Neruba.Domain.Audit;
using Neruba.Infrastructure.Access.ApiKeys;
using Neruba.Infrastructure.Persistence;
using static Neruba.Console.Tests.Api.CustomersApiTests;

namespace Neruba.Console.Tests.Api;

public sealed class ApiKeyTests : IDisposable
{
    private readonly ConsoleAppFactory _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Requests_without_a_key_or_with_a_wrong_one_get_401_problems()
    {
        using var anonymous = _app.CreateApiClient(null);
        using var wrong = _app.CreateApiClient("nrb_" + new string('A', 40));
        using var garbage = _app.CreateApiClient("hello");

        await AssertProblemAsync(await anonymous.GetAsync(new Uri("/api/v1/customers", UriKind.Relative)), HttpStatusCode.Unauthorized, null);
        await AssertProblemAsync(await wrong.GetAsync(new Uri("/api/v1/customers", UriKind.Relative)), HttpStatusCode.Unauthorized, null);
        await AssertProblemAsync(await garbage.GetAsync(new Uri("/api/v1/customers", UriKind.Relative)), HttpStatusCode.Unauthorized, null);
    }

    [Fact]
    public async Task A_console_cookie_does_not_open_the_api()
    {
        using var browser = _app.CreateBrowserClient();
        await browser.SignInAsync(ConsoleAppFactory.AdminEmail, ConsoleAppFactory.AdminPassword);

        using var response = await browser.GetAsync(new Uri("/api/v1/customers", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_key_without_the_endpoints_scope_gets_a_403_problem_naming_the_scope_and_the_refusal_is_audited()
    {
        using var client = _app.CreateApiClient(await _app.CreateApiKeyAsync(null, ApiScopes.UsageWrite));

        using var response = await PostJsonAsync(client, "/api/v1/customers", """{"externalId":"x","name":"X","currency":"USD"}""");

        var problem = await AssertProblemAsync(response, HttpStatusCode.Forbidden, null);
        Assert.Contains(ApiScopes.SetupWrite, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var denial = await LastAuditAsync("access.denied");
        Assert.Equal(ActorKind.ApiKey, denial.ActorKind);
        Assert.Contains("setup:write", denial.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_revoked_key_is_refused_on_the_next_request()
    {
        var secret = await _app.CreateApiKeyAsync(null, ApiScopes.BillingRead);
        using var client = _app.CreateApiClient(secret);
        using var before = await client.GetAsync(new Uri("/api/v1/customers", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        var keyId = await KeyIdAsync(secret);
        var revoked = await _app.RunAsAdminAsync<RevokeApiKey, RevokeApiKey.Request, ApiKeyView>(new RevokeApiKey.Request(keyId, "leaked in a log"));
        Assert.True(revoked.Succeeded);

        using var after = await client.GetAsync(new Uri("/api/v1/customers", UriKind.Relative));
        var problem = await AssertProblemAsync(after, HttpStatusCode.Unauthorized, null);
        Assert.Contains("revoked", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var audit = await LastAuditAsync("api_key.revoked");
        Assert.Equal("leaked in a log", audit.Reason);
    }

    [Fact]
    public async Task An_expired_key_is_refused()
    {
        const string secret = "nrb_ExpiredExpiredExpiredExpiredExpired12345";
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NerubaDbContext>();
            db.ApiKeys.Add(new ApiKey(Guid.NewGuid(), await _app.DemoProjectIdAsync(), "old", ApiKeySecrets.PrefixOf(secret), ApiKeySecrets.Hash(secret),
                [ApiScopes.BillingRead], DateTimeOffset.UtcNow.AddDays(-30), "someone", "someone", DateTimeOffset.UtcNow.AddDays(-1)));
            await db.SaveChangesAsync();
        }

        using var client = _app.CreateApiClient(secret);
        var problem = await AssertProblemAsync(await client.GetAsync(new Uri("/api/v1/customers", UriKind.Relative)), HttpStatusCode.Unauthorized, null);
        Assert.Contains("expired", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_secret_is_stored_only_as_a_hash_and_last_use_is_recorded()
    {
        var secret = await _app.CreateApiKeyAsync(null, ApiScopes.BillingRead);
        using var client = _app.CreateApiClient(secret);
        using var _ = await client.GetAsync(new Uri("/api/v1/customers", UriKind.Relative));

        await using var scope = _app.Services.CreateAsyncScope();
        var key = await scope.ServiceProvider.GetRequiredService<NerubaDbContext>().ApiKeys.SingleAsync();
        Assert.NotEqual(secret, key.SecretHash);
        Assert.Equal(ApiKeySecrets.Hash(secret), key.SecretHash);
        Assert.StartsWith("nrb_", key.Prefix, StringComparison.Ordinal);
        Assert.NotNull(key.LastUsedAt);

        // Nowhere in the database file, or its write-ahead log, does the secret appear.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(_app.DataDirectory, "neruba.db*"))
        {
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.DoesNotContain(secret, Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
            Assert.DoesNotContain(secret, Encoding.Unicode.GetString(bytes), StringComparison.Ordinal);
        }
    }

    private async Task<Guid> KeyIdAsync(string secret)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var hash = ApiKeySecrets.Hash(secret);
        return (await scope.ServiceProvider.GetRequiredService<NerubaDbContext>().ApiKeys.SingleAsync(k => k.SecretHash == hash)).Id;
    }

    private async Task<AuditEntry> LastAuditAsync(string action)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var entries = await scope.ServiceProvider.GetRequiredService<NerubaDbContext>().AuditEntries.Where(a => a.Action == action).ToListAsync();
        return entries.OrderByDescending(a => a.At).First();
    }
}
