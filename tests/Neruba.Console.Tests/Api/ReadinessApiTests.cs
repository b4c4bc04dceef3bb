using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Neruba.Console.Tests.Support;
using Neruba.Domain.Access;

namespace Neruba.Console.Tests.Api;

/// <summary><c>GET /api/v1/readiness</c> through the app pipeline: the page's signals for the key's project, billing:read only.</summary>
public sealed class ReadinessApiTests
{
    [Fact]
    public async Task A_billing_reader_gets_every_signal_with_its_level_figure_threshold_and_runbook_and_other_keys_are_refused()
    {
        using var app = new ConsoleAppFactory();
        using var reader = app.CreateApiClient(await app.CreateApiKeyAsync(null, ApiScopes.BillingRead));

        var readiness = await reader.GetFromJsonAsync<JsonElement>("/api/v1/readiness");

        Assert.Contains(readiness.GetProperty("overall").GetString(), new[] { "green", "amber", "red" });
        var signals = readiness.GetProperty("signals").EnumerateArray().ToDictionary(s => s.GetProperty("key").GetString()!);
        Assert.Equal(16, signals.Count);
        var integrity = signals["integrity.ledger"];
        Assert.Equal(("amber", "Never checked", "/runbooks/ledger-integrity", "moneyIntegrity"), (integrity.GetProperty("level").GetString(),
            integrity.GetProperty("figure").GetString(), integrity.GetProperty("runbook").GetString(), integrity.GetProperty("area").GetString()));
        Assert.Equal("green", signals["platform.database"].GetProperty("level").GetString());
        Assert.Equal("off", signals["platform.stripe"].GetProperty("level").GetString());
        Assert.All(signals.Values, s => Assert.False(string.IsNullOrEmpty(s.GetProperty("threshold").GetString())));

        using var stranger = app.CreateApiClient(await app.CreateApiKeyAsync(null, ApiScopes.UsageWrite));
        using var refused = await stranger.GetAsync(new Uri("/api/v1/readiness", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        using var anonymous = app.CreateApiClient(null);
        using var unknown = await anonymous.GetAsync(new Uri("/api/v1/readiness", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
    }
}
