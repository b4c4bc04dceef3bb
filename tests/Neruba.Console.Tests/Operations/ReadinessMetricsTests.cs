using System.Net;
using Neruba.Console.Tests.Support;

namespace Neruba.Console.Tests.Operations;

/// <summary>The readiness signals as Prometheus metrics: off unless configured, then per project and signal.</summary>
public sealed class ReadinessMetricsTests
{
    [Fact]
    public async Task Metrics_are_off_by_default()
    {
        using var app = new ConsoleAppFactory();
        using var client = app.CreateApiClient(null);

        using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative));

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("neruba_readiness", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_configured_each_projects_signals_are_served_with_their_levels()
    {
        using var app = new ConsoleAppFactory(settings: new Dictionary<string, string> { ["Neruba:Metrics:Prometheus"] = "true" });
        using var client = app.CreateApiClient(null);

        // The sampler reads every project once at start; the first scrape may come before it finished.
        var body = "";
        for (var attempt = 0; attempt < 50 && !body.Contains("neruba_readiness_signal_level{", StringComparison.Ordinal); attempt++)
        {
            using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            body = await response.Content.ReadAsStringAsync();
            if (!body.Contains("neruba_readiness_signal_level{", StringComparison.Ordinal))
            {
                await Task.Delay(200);
            }
        }

        // Levels: 0 not in use, 1 green, 2 amber, 3 red. The demo was never integrity-checked (amber) and has no Stripe (not in use).
        Assert.Matches("neruba_readiness_signal_level\\{[^}]*project=\"demo\"[^}]*signal=\"integrity.ledger\"[^}]*\\} 2", body);
        Assert.Matches("neruba_readiness_signal_level\\{[^}]*project=\"demo\"[^}]*signal=\"platform.stripe\"[^}]*\\} 0", body);
        Assert.Matches("neruba_readiness_signal_level\\{[^}]*project=\"demo\"[^}]*signal=\"platform.database\"[^}]*\\} 1", body);
        Assert.Matches("neruba_readiness_overall_level\\{[^}]*project=\"demo\"[^}]*\\} [23]", body);
    }
}
