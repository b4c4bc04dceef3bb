using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Neruba.Domain.Billing;
using Neruba.Infrastructure.Operations;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Infrastructure.Billing.Runs;

/// <summary>
/// Starts each project's run once a month has ended and its grace period passed (a recurring job), and
/// re-queues runs that a stopped node left queued or running (at startup and by the lease watchdog): they
/// resume where they were.
/// </summary>
public sealed partial class BillingScheduler(IDbContextFactory<NerubaDbContext> dbFactory, IBackgroundJobClient jobs, TimeProvider clock, JobLease lease,
    ILogger<BillingScheduler> logger)
{
    public const string RecurringJobId = "billing-schedule";

    public async Task RunDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var projects = await db.Projects.AsNoTracking().Select(p => new { p.Id, p.UsageGraceHours }).ToListAsync(cancellationToken);
        foreach (var project in projects)
        {
            var month = BillingCalendar.Month(BillingCalendar.MonthStartOf(now - TimeSpan.FromHours(project.UsageGraceHours)).AddMonths(-1));
            var billed = await FinalRunQueries.HasFinalRunAsync(db, project.Id, month.Start, cancellationToken);
            var hasSubscriptions = await FinalRunQueries.HasSubscriptionsAsync(db, project.Id, month, cancellationToken);
            var key = BillingRunRecord.ActiveKeyFor(project.Id, month.Start, null);
            if (billed || !hasSubscriptions || await db.BillingRuns.AnyAsync(r => r.ActiveKey == key, cancellationToken))
            {
                continue;
            }

            var run = new BillingRunRecord
            {
                Id = Guid.NewGuid(), ProjectId = project.Id, PeriodStart = month.Start, Kind = BillingRunKind.Scheduled, Status = BillingRunStatus.Queued,
                ActiveKey = key, TriggeredBy = "Schedule", CreatedAt = now, EventWatermark = await Metering.EventWatermark.CaptureAsync(db, cancellationToken),
            };
            db.BillingRuns.Add(run);
            await db.SaveChangesAsync(cancellationToken);
            await EnqueueAsync(db, run, cancellationToken);
            LogScheduled(logger, month.Start, project.Id);
        }
    }

    /// <summary>
    /// Re-queues runs left queued or running whose lease has lapsed: their node stopped. A run another live node
    /// is working on (lease ahead) is left alone, and so is one just queued there (younger than a lease).
    /// </summary>
    public async Task<int> ResumeInterruptedAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var queuedBefore = now - lease.Duration;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var runs = await db.BillingRuns
            .Where(r => (r.Status == BillingRunStatus.Queued || r.Status == BillingRunStatus.Running)
                && (r.LeaseExpiresAt == null ? r.CreatedAt < queuedBefore : r.LeaseExpiresAt <= now))
            .ToListAsync(cancellationToken);
        var resumed = 0;
        foreach (var run in runs)
        {
            try
            {
                await EnqueueAsync(db, run, cancellationToken);
                resumed++;
                LogResumed(logger, run.Id, run.Total);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Another node took its lease meanwhile: it is running again.
            }
        }

        return resumed;
    }

    private async Task EnqueueAsync(NerubaDbContext db, BillingRunRecord run, CancellationToken cancellationToken)
    {
        run.JobId = jobs.Enqueue<BillingRunJob>(job => job.RunAsync(run.Id, CancellationToken.None));
        await db.SaveChangesAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduled the billing run for {Month:yyyy-MM} of project {ProjectId}")]
    private static partial void LogScheduled(ILogger logger, DateTimeOffset month, Guid projectId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Resumed billing run {RunId} ({Total} customers) after its lease lapsed")]
    private static partial void LogResumed(ILogger logger, Guid runId, int total);
}
