using Hangfire;
using Microsoft.EntityFrameworkCore;
using Neruba.Infrastructure.Payments.Collection;
using Neruba.Infrastructure.Payments.Refunds;
using Neruba.Infrastructure.Payments.Webhooks;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Infrastructure.Payments;

/// <summary>
/// Every minute, picks up Stripe work a stopped process left behind: events stored but never processed, collection attempts requested or due
/// but not made, refunds owed but not sent, reconciliation runs left queued or running. Each job is safe to run twice (event status, idempotency keys), so queuing again is harmless.
/// Embedded mode keeps Hangfire's queue in memory, so after a restart this sweep is what finds the work again. The minute-by-minute sweep leaves
/// alone a call that failed on Stripe's side (Hangfire is retrying it with backoff; queuing more would only pile onto an outage); the sweep
/// queued once at start takes those too, since the retries of a stopped process are gone.
/// </summary>
public sealed class StripeRecoveryJob(IDbContextFactory<NerubaDbContext> dbFactory, IBackgroundJobClient jobs, TimeProvider clock)
{
    public const string RecurringJobId = "stripe-recovery";
    public const string Schedule = "* * * * *";

    /// <summary>An event younger than this is probably still in the hands of the job queued with it.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    /// <summary>A Stripe call may take a timeout and Stripe.net's retries: a collection or refund is left alone this long before it is queued again.</summary>
    public static readonly TimeSpan CallGrace = TimeSpan.FromMinutes(5);

    /// <summary>A failed event is tried again after a restart while it has had no more tries than the processor's own retries give it.</summary>
    private const int MaxAutomaticAttempts = 6;

    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public Task RunAsync(CancellationToken cancellationToken) => RunAsync(afterStart: false, cancellationToken);

    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task RunAsync(bool afterStart, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var before = afterStart ? now : now - Grace;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var events = await db.StripeEvents.AsNoTracking()
            .Where(e => (e.Status == StripeEventStatus.Received && e.ReceivedAt < before) || (afterStart && e.Status == StripeEventStatus.Failed && e.Attempts <= MaxAutomaticAttempts))
            .OrderBy(e => e.ReceivedAt).Select(e => e.Id).Take(500).ToListAsync(cancellationToken);
        foreach (var id in events)
        {
            jobs.Enqueue<StripeEventProcessor>(processor => processor.ProcessAsync(id, CancellationToken.None));
        }

        var callsBefore = afterStart ? now : now - CallGrace;
        var attempts = await db.CollectionAttempts.AsNoTracking()
            .Where(a => (a.Status == CollectionStatus.Requested && (a.ScheduledFor ?? a.CreatedAt) < callsBefore && (afterStart || a.FailureMessage == null))
                || (a.Status == CollectionStatus.Scheduled && a.ScheduledFor <= now))
            .Select(a => a.Id).Take(500).ToListAsync(cancellationToken);
        foreach (var id in attempts)
        {
            jobs.Enqueue<CollectionJob>(job => job.RunAsync(id, CancellationToken.None));
        }

        var refunds = await db.StripeRefunds.AsNoTracking().Where(r => r.Status == RefundStatus.Requested && r.UpdatedAt < callsBefore && (afterStart || r.FailureReason == null))
            .Select(r => r.Id).Take(500).ToListAsync(cancellationToken);
        foreach (var id in refunds)
        {
            jobs.Enqueue<StripeRefundJob>(job => job.RunAsync(id, CancellationToken.None));
        }

        await Reconciliation.Reconciliations.ResumeAsync(db, jobs, now, afterStart, cancellationToken);
    }
}
