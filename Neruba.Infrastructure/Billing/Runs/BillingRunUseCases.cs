using Hangfire;
using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Domain.Billing;
using Neruba.Infrastructure.Persistence;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Billing.Runs;

public sealed record BillingRunView(Guid Id, DateTimeOffset PeriodStart, Guid? CustomerId, string Scope, BillingRunKind Kind, BillingRunStatus Status,
    string TriggeredBy, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, int Total, int Done, int Failed, string? JobId)
{
    public bool IsActive => Status is BillingRunStatus.Queued or BillingRunStatus.Running;

    /// <summary>A final run (started by a person or the schedule): it finalizes invoices; the other kinds compute drafts.</summary>
    public bool Finalizes => BillingRunResultQuery.Finalizes(Kind);

    public TimeSpan? Duration => StartedAt is { } s ? (FinishedAt ?? s) - s : null;
}

internal static class BillingRunReads
{
    public static async Task<BillingRunView> ViewAsync(NerubaDbContext db, BillingRunRecord run, CancellationToken cancellationToken) =>
        (await ViewsAsync(db, [run], cancellationToken))[0];

    /// <summary>Views of many runs in three queries, whatever their number: progress is counted from the items, scope names read at once.</summary>
    public static async Task<IReadOnlyList<BillingRunView>> ViewsAsync(NerubaDbContext db, IReadOnlyList<BillingRunRecord> runs, CancellationToken cancellationToken)
    {
        var runIds = runs.Select(r => r.Id).ToList();
        var counts = await ProgressQuery(db, runIds).ToListAsync(cancellationToken);
        var customerIds = runs.Select(r => r.CustomerId).OfType<Guid>().Distinct().ToList();
        var names = await db.Customers.AsNoTracking().Where(c => customerIds.Contains(c.Id))
            .ToDictionaryAsync(c => c.Id, c => c.Name + " (" + c.ExternalId + ")", cancellationToken);
        int Count(Guid runId, BillingRunItemStatus status) => counts.FirstOrDefault(c => c.RunId == runId && c.Status == status)?.Count ?? 0;
        return runs.Select(run => new BillingRunView(run.Id, run.PeriodStart, run.CustomerId,
                run.CustomerId is { } id ? names.GetValueOrDefault(id, "one customer") : "All customers", run.Kind, run.Status, run.TriggeredBy, run.CreatedAt,
                run.StartedAt, run.FinishedAt, run.Total, Count(run.Id, BillingRunItemStatus.Done), Count(run.Id, BillingRunItemStatus.Failed), run.JobId))
            .ToList();
    }

    internal sealed record ItemCount(Guid RunId, BillingRunItemStatus Status, int Count);

    /// <summary>Finished items per run and outcome: progress is what the items say, never a counter that two writers could both bump.</summary>
    internal static IQueryable<ItemCount> ProgressQuery(NerubaDbContext db, IReadOnlyCollection<Guid> runIds) =>
        db.BillingRunItems.AsNoTracking().Where(i => runIds.Contains(i.RunId) && i.Status != BillingRunItemStatus.Pending)
            .GroupBy(i => new { i.RunId, i.Status }).Select(g => new ItemCount(g.Key.RunId, g.Key.Status, g.Count()));

    /// <summary>Queues the run's job once the run is saved, and remembers the job id for the console's link.</summary>
    public static void EnqueueAfterCommit(UseCaseContext context, IBackgroundJobClient jobs, IDbContextFactory<NerubaDbContext> dbFactory, Guid runId) =>
        context.AfterCommit(() =>
        {
            var jobId = jobs.Enqueue<BillingRunJob>(job => job.RunAsync(runId, CancellationToken.None));
            using var db = dbFactory.CreateDbContext();
            db.BillingRuns.Where(r => r.Id == runId).ExecuteUpdate(s => s.SetProperty(r => r.JobId, jobId));
        });
}

/// <summary>Puts a finished run's failed customers back in the queue and runs it again; the others are left as they are.</summary>
public sealed class RetryFailedBillingRun(IBackgroundJobClient jobs, IDbContextFactory<NerubaDbContext> dbFactory) : UseCase<RetryFailedBillingRun.Request, BillingRunView>
{
    public sealed record Request(Guid RunId);

    public override AccessRule Access { get; } = new(Permission.RunJobs);

    public override async Task<UseCaseResult<BillingRunView>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var run = await context.Db.BillingRuns.FirstOrDefaultAsync(r => r.Id == request.RunId && r.ProjectId == context.ProjectId, cancellationToken);
        if (run is null)
        {
            return UseCaseResult<BillingRunView>.NotFound("No such billing run in this project.");
        }

        if (run.Status != BillingRunStatus.CompletedWithFailures)
        {
            return UseCaseResult<BillingRunView>.Conflict("Only a finished run with failed customers can be retried.");
        }

        var key = BillingRunRecord.ActiveKeyFor(run.ProjectId, run.PeriodStart, run.CustomerId);
        if (await context.Db.BillingRuns.AnyAsync(r => r.ActiveKey == key, cancellationToken))
        {
            return UseCaseResult<BillingRunView>.Conflict("Another run for this month and scope is active; retry once it has finished.");
        }

        var failed = await context.Db.BillingRunItems.Where(i => i.RunId == run.Id && i.Status == BillingRunItemStatus.Failed).ToListAsync(cancellationToken);
        foreach (var item in failed)
        {
            item.Status = BillingRunItemStatus.Pending;
        }

        run.Status = BillingRunStatus.Queued;
        run.ActiveKey = key;
        run.FinishedAt = null;
        context.Audit("billing_run.retried", "billing_run", run.Id.ToString(), null, new { Customers = failed.Count });
        BillingRunReads.EnqueueAfterCommit(context, jobs, dbFactory, run.Id);
        return UseCaseResult<BillingRunView>.Ok(await BillingRunReads.ViewAsync(context.Db, run, cancellationToken));
    }
}

public sealed record BillingRunItemView(Guid SubscriptionId, Guid CustomerId, string CustomerName, string ExternalId, BillingRunItemStatus Status, string? Error);

/// <summary>
/// A run, its failures, what it produced (totals per currency, counted by the database) and the customers it skipped because their
/// month was invoiced already; for a rerun, the comparison with the finalized invoices (pages of it: <see cref="ListRerunComparisons"/>;
/// pages of invoices or drafts: <see cref="ListBillingRunResults"/>).
/// </summary>
public sealed record BillingRunDetails(BillingRunView Run, IReadOnlyList<BillingRunItemView> Failures, IReadOnlyList<BillingRunTotal> Totals,
    AlreadyInvoiced? AlreadyInvoiced, RerunSummary? Rerun);

/// <summary>A run with its failed customers (and their errors) and what it produced; a fixed number of queries, so polling it is cheap.</summary>
public sealed class GetBillingRun : UseCase<GetBillingRun.Request, BillingRunDetails>
{
    public sealed record Request(Guid RunId);

    public override AccessRule Access { get; } = new(Permission.ViewConsole, ApiScopes.BillingRead);

    public override async Task<UseCaseResult<BillingRunDetails>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var run = await context.Db.BillingRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == request.RunId && r.ProjectId == context.ProjectId, cancellationToken);
        if (run is null)
        {
            return UseCaseResult<BillingRunDetails>.NotFound("No such billing run in this project.");
        }

        var failures = await (from i in context.Db.BillingRunItems.AsNoTracking()
                              join c in context.Db.Customers.AsNoTracking() on i.CustomerId equals c.Id
                              where i.RunId == run.Id && i.Status == BillingRunItemStatus.Failed
                              orderby i.Position
                              select new BillingRunItemView(i.SubscriptionId, i.CustomerId, c.Name, c.ExternalId, i.Status, i.Error)).Take(200).ToListAsync(cancellationToken);
        var rerun = run.Kind == BillingRunKind.Rerun ? await RerunComparisonQuery.SummarizeAsync(context.Db, run, cancellationToken) : null;
        var (totals, skipped) = await BillingRunResultQuery.OutcomeAsync(context.Db, run, cancellationToken);
        return UseCaseResult<BillingRunDetails>.Ok(new BillingRunDetails(await BillingRunReads.ViewAsync(context.Db, run, cancellationToken), failures, totals,
            skipped, rerun));
    }
}
