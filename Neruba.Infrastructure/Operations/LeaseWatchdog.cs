using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Neruba.Infrastructure.Billing.Runs;
using Neruba.Infrastructure.Metering;

namespace Neruba.Infrastructure.Operations;

/// <summary>
/// On every node, twice per lease: re-queues billing runs and backfill imports whose lease lapsed, so the work
/// of a node that died is finished by a live one without waiting for a restart.
/// </summary>
public sealed partial class LeaseWatchdog(IServiceScopeFactory scopes, JobLease lease, ILogger<LeaseWatchdog> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(lease.Duration / 2);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
#pragma warning disable CA1031 // One failed sweep (a database hiccup) must not stop the next.
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<BillingScheduler>().ResumeInterruptedAsync(stoppingToken);
                await scope.ServiceProvider.GetRequiredService<BackfillImportJob>().ResumeInterruptedAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogSweepFailed(logger, exception);
            }
#pragma warning restore CA1031
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Looking for billing runs and imports whose lease lapsed failed; trying again at the next tick")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
