using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Neruba.Infrastructure.Persistence;
using Stripe;

namespace Neruba.Infrastructure.Payments.Reconciliation;

/// <summary>
/// Reconciles one run's window: lists Stripe's balance transactions (auto-paginated, a page of 100 at a time, counters saved after each page so
/// the console shows progress), matches each to the ledger's postings on Stripe clearing, posts payouts, then writes the mismatch queue in one
/// save. Safe to run twice on the same run (a process stopped mid-way): it starts the window again, payouts are keyed, mismatches upserted.
/// </summary>
public sealed partial class ReconciliationJob(IDbContextFactory<NerubaDbContext> dbFactory, StripeGateway gateway, TimeProvider clock,
    ILogger<ReconciliationJob> logger)
{
    public const int PageSize = 100;

    /// <summary>A run marked running this long ago without finishing was left by a stopped process.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(10);

    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.ReconciliationRuns.SingleOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run is null || run.Status is ReconciliationRunStatus.Succeeded or ReconciliationRunStatus.Failed)
        {
            return;
        }

        // Claim the run: one worker at a time (a run is queued again after a restart, and may be by two nodes). A run "running" for longer than
        // StaleAfter was left by a stopped process and may be taken over.
        var now = clock.GetUtcNow();
        var staleBefore = now - StaleAfter;
        var claimed = await db.ReconciliationRuns.Where(r => r.Id == runId && r.Version == run.Version
                && (r.Status == ReconciliationRunStatus.Queued || (r.Status == ReconciliationRunStatus.Running && r.StartedAt < staleBefore)))
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, ReconciliationRunStatus.Running).SetProperty(r => r.StartedAt, now)
                .SetProperty(r => r.Version, r => r.Version + 1), cancellationToken);
        if (claimed == 0)
        {
            return;
        }

        await db.Entry(run).ReloadAsync(cancellationToken);
        Begin(run, now);
        await db.SaveChangesAsync(cancellationToken);
        try
        {
            var connection = await gateway.ConnectAsync(db, run.ProjectId, cancellationToken)
                ?? throw new InvalidOperationException(StripeGateway.NotConfigured);
            var pass = new ReconciliationPass(db, run, clock.GetUtcNow());
            var options = new BalanceTransactionListOptions
            {
                Created = new DateRangeOptions { GreaterThanOrEqual = run.WindowStart.UtcDateTime, LessThan = run.WindowEnd.UtcDateTime },
                Limit = PageSize,
                Expand = ["data.source"],
            };
            var page = new List<StripeTxn>(PageSize);
            await foreach (var txn in connection.Client.V1.BalanceTransactions.ListAutoPagingAsync(options, cancellationToken: cancellationToken))
            {
                page.Add(StripeTxn.From(txn));
                if (page.Count == PageSize)
                {
                    await SavePageAsync(db, pass, page, cancellationToken);
                }
            }

            if (page.Count > 0 || run.PagesRead == 0)
            {
                await SavePageAsync(db, pass, page, cancellationToken);
            }

            var unseen = (await ReconciliationLedger.InWindowAsync(db, run.ProjectId, run.WindowStart, run.WindowEnd, cancellationToken))
                .Where(l => !pass.SeenKeys.Contains(l.Key));
            var (missing, found) = await StripeLookup.CheckAsync(connection.Client, unseen, cancellationToken);
            foreach (var finding in missing)
            {
                pass.Findings[finding.Txn.SourceId] = [finding];
            }

            pass.Sources.UnionWith(found);
            var finished = clock.GetUtcNow();
            await MismatchQueue.ApplyAsync(db, run, pass.Findings, pass.Sources, finished, cancellationToken);
            run.Status = ReconciliationRunStatus.Succeeded;
            run.FinishedAt = finished;
            run.Version++;
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogFailed(logger, exception, runId);
            await FailAsync(runId, exception, cancellationToken);
        }
    }

    private static async Task SavePageAsync(NerubaDbContext db, ReconciliationPass pass, List<StripeTxn> page, CancellationToken cancellationToken)
    {
        await pass.ReadPageAsync(page, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        page.Clear();
    }

    private static void Begin(ReconciliationRunRecord run, DateTimeOffset now)
    {
        // A run picked up again after a stop starts the window over: its counters describe this pass only.
        run.Status = ReconciliationRunStatus.Running;
        run.StartedAt = now;
        run.PagesRead = run.TransactionsSeen = run.Matched = run.MismatchesOpened = run.MismatchesStillOpen = run.MismatchesClosed = run.PayoutsPosted = 0;
        run.CategorySummary = "[]";
        run.Error = null;
        run.Version++;
    }

    private async Task FailAsync(Guid runId, Exception exception, CancellationToken cancellationToken)
    {
        var words = exception is StripeException or HttpRequestException or TaskCanceledException ? StripeGateway.Describe(exception) : exception.Message;
        words = words.Length > ReconciliationRunRecord.MaxErrorLength ? words[..ReconciliationRunRecord.MaxErrorLength] : words;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        await db.ReconciliationRuns.Where(r => r.Id == runId).ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, ReconciliationRunStatus.Failed)
            .SetProperty(r => r.Error, words).SetProperty(r => r.FinishedAt, now).SetProperty(r => r.Version, r => r.Version + 1), cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciliation run {RunId} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, Guid runId);
}
