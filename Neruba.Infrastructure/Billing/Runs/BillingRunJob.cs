using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Neruba.Domain.Billing;
using Neruba.Infrastructure.Ledger;
using Neruba.Infrastructure.Operations;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Infrastructure.Billing.Runs;

/// <summary>
/// Executes a billing run as a Hangfire job: lists the subscriptions in scope once, then bills each in its
/// own transaction and records the outcome beside it. Safe to run again at any point (a retry, a restart,
/// another node): finished customers are skipped, invoices are unique per (subscription, period, revision),
/// and the run's lease keeps a second node away while this one is alive.
/// </summary>
public sealed partial class BillingRunJob(IDbContextFactory<NerubaDbContext> dbFactory, TimeProvider clock, JobLease lease, ILogger<BillingRunJob> logger,
    Payments.Collection.AutoCollection autoCollection)
{
    private const int MaxAttemptsPerCustomer = 5;
    private const int ChunkSize = 200;

    /// <summary>
    /// Customers billed in one transaction: a durable commit costs milliseconds, far more than billing one customer, so
    /// customers share it. Should any of them fail, the chunk is rolled back and each is billed again on its own.
    /// </summary>
    internal const int CustomersPerCommit = 50;

    public Task RunAsync(Guid runId, CancellationToken cancellationToken) => RunAsync(runId, stopAfter: null, cancellationToken);

    /// <summary>With <paramref name="stopAfter"/>, returns after that many customers without finishing, as a killed process would (for tests).</summary>
    internal async Task RunAsync(Guid runId, int? stopAfter, CancellationToken cancellationToken)
    {
        var billed = 0;
        if (!await StartAsync(runId, cancellationToken))
        {
            return;
        }

        await using var heartbeat = new LeaseHeartbeat(lease, async (until, ct) =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            return await db.BillingRuns.Where(r => r.Id == runId && r.LeaseOwner == lease.Owner).ExecuteUpdateAsync(s => s.SetProperty(r => r.LeaseExpiresAt, until), ct);
        }, cancellationToken);
        try
        {
            while (true)
            {
                List<Guid> pending;
                await using (var db = await dbFactory.CreateDbContextAsync(heartbeat.Token))
                {
                    pending = await PendingItems(db, runId).ToListAsync(heartbeat.Token);
                }

                if (pending.Count == 0)
                {
                    break;
                }

                foreach (var chunk in pending.Chunk(CustomersPerCommit))
                {
                    // A test's simulated kill stops after exactly that many customers.
                    var take = stopAfter is { } stop ? Math.Min(chunk.Length, stop - billed) : chunk.Length;
                    if (take > 0 && !await BillChunkAsync(runId, chunk[..take], heartbeat.Token))
                    {
                        LogLeaseLost(logger, runId);
                        return;
                    }

                    billed += take;
                    if (billed == stopAfter)
                    {
                        return;
                    }
                }
            }

            await FinishAsync(runId, heartbeat.Token);
        }
        catch (OperationCanceledException) when (heartbeat.IsLost && !cancellationToken.IsCancellationRequested)
        {
            LogLeaseLost(logger, runId);
        }
    }

    /// <summary>The subscriptions a run of this month and scope bills: those running for at least part of the month.</summary>
    internal static IQueryable<SubscriptionRecord> SubscriptionsInScope(NerubaDbContext db, Guid projectId, Guid? customerId, DateSpan month) =>
        db.Subscriptions.AsNoTracking().Where(s => s.ProjectId == projectId && (customerId == null || s.CustomerId == customerId)
            && s.StartsAt < month.End && (s.EndsAt == null || s.EndsAt > month.Start));

    internal static IQueryable<Guid> PendingItems(NerubaDbContext db, Guid runId) =>
        db.BillingRunItems.AsNoTracking().Where(i => i.RunId == runId && i.Status == BillingRunItemStatus.Pending).OrderBy(i => i.Position).Select(i => i.Id).Take(ChunkSize);

    /// <summary>Takes the run's lease (unless a live node holds it) and, the first time, fixes the list of subscriptions it covers.</summary>
    private async Task<bool> StartAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.BillingRuns.SingleOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run is null || run.Status is BillingRunStatus.Succeeded or BillingRunStatus.CompletedWithFailures)
        {
            return false;
        }

        if (lease.IsHeldByAnother(run.LeaseOwner, run.LeaseExpiresAt))
        {
            LogHeldElsewhere(logger, runId, run.LeaseOwner!);
            return false;
        }

        run.LeaseOwner = lease.Owner;
        run.LeaseExpiresAt = lease.NextExpiry;
        run.Status = BillingRunStatus.Running;
        run.StartedAt ??= clock.GetUtcNow();
        if (!await db.BillingRunItems.AnyAsync(i => i.RunId == runId, cancellationToken))
        {
            var month = BillingCalendar.Month(run.PeriodStart);
            var subscriptions = await SubscriptionsInScope(db, run.ProjectId, run.CustomerId, month)
                .OrderBy(s => s.CustomerId).ThenBy(s => s.StartsAt).ThenBy(s => s.Id).Select(s => new { s.Id, s.CustomerId }).ToListAsync(cancellationToken);
            var position = 0;
            db.BillingRunItems.AddRange(subscriptions.Select(s => new BillingRunItemRecord
            {
                Id = Guid.NewGuid(), RunId = runId, SubscriptionId = s.Id, CustomerId = s.CustomerId, Position = position++, Status = BillingRunItemStatus.Pending,
            }));
            run.Total = subscriptions.Count;
        }

        try
        {
            // The lease owner is a concurrency token: of two nodes starting the run at once, one saves and the other backs off.
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException exception) when (WalletWriter.IsLostRace(exception))
        {
            LogHeldElsewhere(logger, runId, "another node");
            return false;
        }
    }

    /// <summary>
    /// Bills the items in one transaction; false when this node no longer holds the run's lease (then nothing was saved). If anything
    /// fails, nothing of the chunk is kept and each item is billed on its own, so only a failing customer fails and the others go on.
    /// </summary>
    private async Task<bool> BillChunkAsync(Guid runId, Guid[] itemIds, CancellationToken cancellationToken)
    {
        if (itemIds.Length > 1)
        {
            try
            {
                await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
                return await BillInOneTransactionAsync(db, runId, itemIds, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogChunkRetried(logger, exception, runId, itemIds.Length);
            }
        }

        foreach (var itemId in itemIds)
        {
            if (!await BillItemAsync(runId, itemId, cancellationToken))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Bills the items in one transaction, fenced by the run's lease before the first and again before the commit (another node may
    /// take the run over meanwhile: it bills the rest). False when this node no longer holds the lease; then nothing was saved.
    /// </summary>
    private async Task<bool> BillInOneTransactionAsync(NerubaDbContext db, Guid runId, IEnumerable<Guid> itemIds, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var run = await db.BillingRuns.AsNoTracking().SingleAsync(r => r.Id == runId, cancellationToken);
        if (run.LeaseOwner != lease.Owner)
        {
            return false;
        }

        foreach (var itemId in itemIds)
        {
            await BillPendingAsync(db, run, await db.BillingRunItems.SingleAsync(i => i.Id == itemId, cancellationToken), cancellationToken);
            // What is saved stays in the transaction; a flat change tracker keeps each save as cheap as the first.
            db.ChangeTracker.Clear();
        }

        if (await db.BillingRuns.Where(r => r.Id == runId).Select(r => r.LeaseOwner).SingleAsync(cancellationToken) != lease.Owner)
        {
            return false;
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Bills the item unless already finished, and marks it done; saves but leaves the commit to the caller.</summary>
    private async Task BillPendingAsync(NerubaDbContext db, BillingRunRecord run, BillingRunItemRecord item, CancellationToken cancellationToken)
    {
        if (item.Status != BillingRunItemStatus.Pending)
        {
            return;
        }

        var now = clock.GetUtcNow();
        await CustomerBilling.BillAsync(db, run, item, now, cancellationToken);
        item.Status = BillingRunItemStatus.Done;
        item.Error = null;
        item.FinishedAt = now;
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Bills one customer item; false when this node no longer holds the run's lease (then nothing of the item was saved).</summary>
    private async Task<bool> BillItemAsync(Guid runId, Guid itemId, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            try
            {
                return await BillInOneTransactionAsync(db, runId, [itemId], cancellationToken);
            }
            catch (Exception exception) when (attempt < MaxAttemptsPerCustomer && WalletWriter.IsLostRace(exception))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(10 * attempt), cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogCustomerFailed(logger, exception, runId, itemId);
                await RecordFailureAsync(itemId, exception, cancellationToken);
                return true;
            }
        }
    }

    /// <summary>Nothing of the failed customer was saved (its transaction rolled back); only the error is recorded.</summary>
    private async Task RecordFailureAsync(Guid itemId, Exception exception, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var item = await db.BillingRunItems.SingleAsync(i => i.Id == itemId, cancellationToken);
        var message = (exception.InnerException is { } inner && exception is DbUpdateException ? inner.Message : exception.Message);
        item.Status = BillingRunItemStatus.Failed;
        item.Error = message.Length > BillingRunRecord.MaxErrorLength ? message[..BillingRunRecord.MaxErrorLength] : message;
        item.FinishedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task FinishAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.BillingRuns.SingleAsync(r => r.Id == runId, cancellationToken);
        if (run.LeaseOwner != lease.Owner)
        {
            return;
        }

        var failed = await db.BillingRunItems.AnyAsync(i => i.RunId == runId && i.Status == BillingRunItemStatus.Failed, cancellationToken);
        run.Status = failed ? BillingRunStatus.CompletedWithFailures : BillingRunStatus.Succeeded;
        run.FinishedAt = clock.GetUtcNow();
        run.ActiveKey = null;
        run.LeaseOwner = null;
        run.LeaseExpiresAt = null;
        await db.SaveChangesAsync(cancellationToken);
        if (run.Kind is BillingRunKind.Scheduled or BillingRunKind.Manual)
        {
            await autoCollection.StartForRunAsync(runId, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Billing run {RunId}: customer item {ItemId} failed")]
    private static partial void LogCustomerFailed(ILogger logger, Exception exception, Guid runId, Guid itemId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Billing run {RunId}: a chunk of {Customers} customers failed together; billing each on its own")]
    private static partial void LogChunkRetried(ILogger logger, Exception exception, Guid runId, int customers);

    [LoggerMessage(Level = LogLevel.Information, Message = "Billing run {RunId} is held by {Owner}; this node leaves it alone")]
    private static partial void LogHeldElsewhere(ILogger logger, Guid runId, string owner);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Billing run {RunId}: this node lost the run's lease (it lapsed and another node took over); stopping")]
    private static partial void LogLeaseLost(ILogger logger, Guid runId);
}
