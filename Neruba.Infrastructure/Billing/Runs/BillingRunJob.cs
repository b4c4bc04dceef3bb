using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Neruba.Domain.Billing;
using Neruba.Infrastructure.Ledger;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Infrastructure.Billing.Runs;

/// <summary>
/// Executes a billing run as a Hangfire job: lists the subscriptions in scope once, then bills each in its
/// own transaction and records the outcome beside it. Safe to run again at any point (a retry, a restart):
/// finished customers are skipped and invoices are unique per (subscription, period, revision).
/// </summary>
public sealed partial class BillingRunJob(IDbContextFactory<NerubaDbContext> dbFactory, TimeProvider clock, ILogger<BillingRunJob> logger)
{
    private const int MaxAttemptsPerCustomer = 5;
    private const int ChunkSize = 200;

    public Task RunAsync(Guid runId, CancellationToken cancellationToken) => RunAsync(runId, stopAfter: null, cancellationToken);

    /// <summary>With <paramref name="stopAfter"/>, returns after that many customers without finishing, as a killed process would (for tests).</summary>
    internal async Task RunAsync(Guid runId, int? stopAfter, CancellationToken cancellationToken)
    {
        var billed = 0;
        if (!await StartAsync(runId, cancellationToken))
        {
            return;
        }

        while (true)
        {
            List<Guid> pending;
            await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            {
                pending = await db.BillingRunItems.AsNoTracking().Where(i => i.RunId == runId && i.Status == BillingRunItemStatus.Pending)
                    .OrderBy(i => i.Position).Select(i => i.Id).Take(ChunkSize).ToListAsync(cancellationToken);
            }

            if (pending.Count == 0)
            {
                break;
            }

            foreach (var itemId in pending)
            {
                if (billed++ == stopAfter)
                {
                    return;
                }

                await BillItemAsync(runId, itemId, cancellationToken);
            }
        }

        await FinishAsync(runId, cancellationToken);
    }

    /// <summary>Marks the run running and, the first time, fixes the list of subscriptions it covers.</summary>
    private async Task<bool> StartAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.BillingRuns.SingleOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run is null || run.Status is BillingRunStatus.Succeeded or BillingRunStatus.CompletedWithFailures)
        {
            return false;
        }

        run.Status = BillingRunStatus.Running;
        run.StartedAt ??= clock.GetUtcNow();
        if (!await db.BillingRunItems.AnyAsync(i => i.RunId == runId, cancellationToken))
        {
            var month = BillingCalendar.Month(run.PeriodStart);
            var subscriptions = await db.Subscriptions.AsNoTracking()
                .Where(s => s.ProjectId == run.ProjectId && (run.CustomerId == null || s.CustomerId == run.CustomerId)
                    && s.StartsAt < month.End && (s.EndsAt == null || s.EndsAt > month.Start))
                .OrderBy(s => s.CustomerId).ThenBy(s => s.Id).Select(s => new { s.Id, s.CustomerId }).ToListAsync(cancellationToken);
            var position = 0;
            db.BillingRunItems.AddRange(subscriptions.Select(s => new BillingRunItemRecord
            {
                Id = Guid.NewGuid(), RunId = runId, SubscriptionId = s.Id, CustomerId = s.CustomerId, Position = position++, Status = BillingRunItemStatus.Pending,
            }));
            run.Total = subscriptions.Count;
        }

        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    private async Task BillItemAsync(Guid runId, Guid itemId, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            try
            {
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                var run = await db.BillingRuns.SingleAsync(r => r.Id == runId, cancellationToken);
                var item = await db.BillingRunItems.SingleAsync(i => i.Id == itemId, cancellationToken);
                if (item.Status != BillingRunItemStatus.Pending)
                {
                    return;
                }

                var now = clock.GetUtcNow();
                await CustomerBilling.BillAsync(db, run, item, now, cancellationToken);
                item.Status = BillingRunItemStatus.Done;
                item.Error = null;
                item.FinishedAt = now;
                run.Done++;
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return;
            }
            catch (Exception exception) when (attempt < MaxAttemptsPerCustomer && WalletWriter.IsLostRace(exception))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(10 * attempt), cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogCustomerFailed(logger, exception, runId, itemId);
                await RecordFailureAsync(runId, itemId, exception, cancellationToken);
                return;
            }
        }
    }

    /// <summary>Nothing of the failed customer was saved (its transaction rolled back); only the error is recorded.</summary>
    private async Task RecordFailureAsync(Guid runId, Guid itemId, Exception exception, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.BillingRuns.SingleAsync(r => r.Id == runId, cancellationToken);
        var item = await db.BillingRunItems.SingleAsync(i => i.Id == itemId, cancellationToken);
        var message = (exception.InnerException is { } inner && exception is DbUpdateException ? inner.Message : exception.Message);
        item.Status = BillingRunItemStatus.Failed;
        item.Error = message.Length > BillingRunRecord.MaxErrorLength ? message[..BillingRunRecord.MaxErrorLength] : message;
        item.FinishedAt = clock.GetUtcNow();
        run.Failed++;
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task FinishAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.BillingRuns.SingleAsync(r => r.Id == runId, cancellationToken);
        run.Status = run.Failed > 0 ? BillingRunStatus.CompletedWithFailures : BillingRunStatus.Succeeded;
        run.FinishedAt = clock.GetUtcNow();
        run.ActiveKey = null;
        await db.SaveChangesAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Billing run {RunId}: customer item {ItemId} failed")]
    private static partial void LogCustomerFailed(ILogger logger, Exception exception, Guid runId, Guid itemId);
}
