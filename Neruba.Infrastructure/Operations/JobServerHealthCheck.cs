using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Neruba.Infrastructure.Operations;

/// <summary>Ready only when at least one job server has sent a heartbeat recently.</summary>
internal sealed class JobServerHealthCheck(JobStorage storage) : IHealthCheck
{
    public static readonly TimeSpan MaxHeartbeatAge = TimeSpan.FromMinutes(1);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // Hangfire stamps heartbeats with the real clock, never Neruba's TimeProvider (which a test harness may shift).
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var servers = storage.GetMonitoringApi().Servers();
        var alive = servers.Count(s => s.Heartbeat is { } beat && now - beat <= MaxHeartbeatAge);
        return Task.FromResult(alive > 0
            ? HealthCheckResult.Healthy($"{alive} job server(s) alive.")
            : HealthCheckResult.Unhealthy($"No job server has sent a heartbeat in the last {MaxHeartbeatAge.TotalSeconds:0} seconds."));
    }
}
