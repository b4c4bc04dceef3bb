using System.Text.Json;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Neruba.Infrastructure.Ledger;
using Neruba.Infrastructure.Payments.Collection;
using Neruba.Infrastructure.Payments.Disputes;
using Neruba.Infrastructure.Payments.Refunds;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Infrastructure.Payments.Webhooks;

/// <summary>
/// Processes one stored Stripe event exactly once, as a Hangfire job: the handler's changes (ledger entries, records, audit) and the event's
/// "processed" mark are one save, so a repeat finds it processed and a crash before the save leaves it to be processed again. A failure is
/// recorded on the event in words and retried with backoff; the Webhooks page can retry it by hand.
/// </summary>
public sealed partial class StripeEventProcessor(IDbContextFactory<NerubaDbContext> dbFactory, TimeProvider clock, IBackgroundJobClient jobs,
    ILogger<StripeEventProcessor> logger)
{
    [AutomaticRetry(Attempts = 5, DelaysInSeconds = [15, 60, 300, 1800, 7200])]
    public async Task ProcessAsync(Guid eventId, CancellationToken cancellationToken)
    {
        try
        {
            // Another writer may touch the same invoice, wallet or event: read again; a processed event is then left alone.
            await LostRaces.RetryAsync(() => ProcessOnceAsync(eventId, cancellationToken), cancellationToken);
        }
        catch (Exception exception)
        {
            LogFailed(logger, exception, eventId);
            await RecordFailureAsync(eventId, exception, cancellationToken);
            throw;
        }
    }

    private async Task ProcessOnceAsync(Guid eventId, CancellationToken cancellationToken)
    {
        StripeEventContext context;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var record = await db.StripeEvents.SingleOrDefaultAsync(e => e.Id == eventId, cancellationToken);
            if (record is null || record.Status is StripeEventStatus.Processed or StripeEventStatus.Ignored)
            {
                return;
            }

            // The keys may have been removed since the event was verified; it is still a Stripe fact and is processed (without retries, which need keys).
            var account = await db.StripeAccounts.AsNoTracking().SingleOrDefaultAsync(a => a.ProjectId == record.ProjectId, cancellationToken)
                ?? new StripeAccountRecord { ProjectId = record.ProjectId, RetryScheduleDays = "" };
            using var document = JsonDocument.Parse(record.Payload);
            var obj = new StripeJson(document.RootElement.GetProperty("data").GetProperty("object"));
            context = new StripeEventContext(db, record, account, obj, clock.GetUtcNow());
            var outcome = await HandleAsync(context, cancellationToken);
            record.Status = outcome.Acted ? StripeEventStatus.Processed : StripeEventStatus.Ignored;
            record.Outcome = Clip(outcome.Words);
            record.LastError = null;
            record.ProcessedAt = context.Now;
            record.Attempts++;
            record.Version++;
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        foreach (var action in context.Committed)
        {
            action();
        }
    }

    private Task<StripeEventOutcome> HandleAsync(StripeEventContext context, CancellationToken cancellationToken) => context.Event.Type switch
    {
        "checkout.session.completed" or "checkout.session.async_payment_succeeded" or "checkout.session.async_payment_failed"
            or "checkout.session.expired" => CheckoutEvents.HandleAsync(context, jobs, cancellationToken),
        "payment_intent.succeeded" or "payment_intent.payment_failed" or "payment_intent.processing" or "payment_intent.canceled"
            => CollectionEvents.HandleAsync(context, jobs, cancellationToken),
        "charge.refunded" or "refund.created" or "refund.updated" or "refund.failed" => RefundEvents.HandleAsync(context, cancellationToken),
        "charge.dispute.created" or "charge.dispute.updated" or "charge.dispute.closed" or "charge.dispute.funds_withdrawn"
            or "charge.dispute.funds_reinstated" => DisputeEvents.HandleAsync(context, cancellationToken),
        _ => Task.FromResult(StripeEventOutcome.Ignored($"Neruba does not act on {context.Event.Type} events.")),
    };

    private async Task RecordFailureAsync(Guid eventId, Exception exception, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var words = Clip(exception is InvalidOperationException or Domain.Ledger.LedgerException ? exception.Message : $"{exception.GetType().Name}: {exception.Message}");
        await db.StripeEvents.Where(e => e.Id == eventId && e.Status != StripeEventStatus.Processed && e.Status != StripeEventStatus.Ignored)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Status, StripeEventStatus.Failed).SetProperty(e => e.LastError, words)
                .SetProperty(e => e.Attempts, e => e.Attempts + 1).SetProperty(e => e.Version, e => e.Version + 1), cancellationToken);
    }

    private static string Clip(string words) => words.Length > StripeEventRecord.MaxErrorLength ? words[..StripeEventRecord.MaxErrorLength] : words;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Processing Stripe event {EventId} failed; it is retried with backoff")]
    private static partial void LogFailed(ILogger logger, Exception exception, Guid eventId);
}
