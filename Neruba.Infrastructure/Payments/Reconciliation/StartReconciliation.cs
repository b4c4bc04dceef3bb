using Hangfire;
using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Infrastructure.Persistence;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Payments.Reconciliation;

/// <summary>Finance reconciles a chosen window now: a queued run and its job. One run at a time per project.</summary>
public sealed class StartReconciliation(IBackgroundJobClient jobs) : UseCase<StartReconciliation.Request, ReconciliationRunView>
{
    public const int MaxWindowDays = 93;

    public sealed record Request(DateTimeOffset? Start, DateTimeOffset? End);

    public override AccessRule Access { get; } = new(Permission.ManageMoney);

    public override ValidationErrors Validate(Request request)
    {
        var errors = new ValidationErrors();
        if (request.Start is not { } start || request.End is not { } end)
        {
            return errors.Add("window", "Choose when the window starts and ends.");
        }

        if (start >= end)
        {
            errors.Add("window", "The window must end after it starts.");
        }
        else if (end - start > TimeSpan.FromDays(MaxWindowDays))
        {
            errors.Add("window", $"A window is at most {MaxWindowDays} days; reconcile a longer stretch in parts.");
        }

        return errors;
    }

    public override async Task<UseCaseResult<ReconciliationRunView>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        if (request.End > context.Now)
        {
            return UseCaseResult<ReconciliationRunView>.Invalid("window", "The window cannot end in the future: Stripe has not moved that money yet.");
        }

        if (!await context.Db.StripeAccounts.Where(a => a.ProjectId == context.ProjectId).AnyAsync(StripeAccountRecord.Configured, cancellationToken))
        {
            return UseCaseResult<ReconciliationRunView>.Conflict(StripeGateway.NotConfigured);
        }

        if (await Reconciliations.UnderWayAsync(context.Db, context.ProjectId, cancellationToken) is { } underWay)
        {
            return UseCaseResult<ReconciliationRunView>.Conflict(
                $"A reconciliation is already {underWay.Status.ToString().ToLowerInvariant()} for this project (started by {underWay.RequestedByName}); "
                + "wait for it to finish, then run again.");
        }

        var run = Reconciliations.NewRun(context.ProjectId, request.Start!.Value, request.End!.Value, ReconciliationTrigger.Manual, context.Actor.Name, context.Now);
        context.Db.ReconciliationRuns.Add(run);
        context.Audit("reconciliation.started", "reconciliation-run", run.Id.ToString(), null, new { run.WindowStart, run.WindowEnd },
            "Reconcile Stripe against the ledger for the chosen window");
        context.AfterCommit(() => jobs.Enqueue<ReconciliationJob>(job => job.RunAsync(run.Id, CancellationToken.None)));
        return UseCaseResult<ReconciliationRunView>.Ok(ReconciliationRunView.Of(run));
    }
}

/// <summary>Runs as the console shows them.</summary>
public sealed record ReconciliationRunView(Guid Id, DateTimeOffset WindowStart, DateTimeOffset WindowEnd, ReconciliationTrigger Trigger,
    ReconciliationRunStatus Status, string RequestedByName, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, int PagesRead,
    int TransactionsSeen, int Matched, int MismatchesOpened, int MismatchesStillOpen, int MismatchesClosed, int PayoutsPosted,
    IReadOnlyList<CategoryTotal> Categories, string? Error)
{
    public bool InProgress => Status is ReconciliationRunStatus.Queued or ReconciliationRunStatus.Running;

    public static ReconciliationRunView Of(ReconciliationRunRecord r) => new(r.Id, r.WindowStart, r.WindowEnd, r.Trigger, r.Status, r.RequestedByName,
        r.CreatedAt, r.StartedAt, r.FinishedAt, r.PagesRead, r.TransactionsSeen, r.Matched, r.MismatchesOpened, r.MismatchesStillOpen, r.MismatchesClosed,
        r.PayoutsPosted, CategoryTotal.Parse(r.CategorySummary), r.Error);
}

/// <summary>
/// The daily run (yesterday in UTC, every project with Stripe configured) and the pick-up of runs a stopped process left queued or running.
/// </summary>
public sealed class Reconciliations(IDbContextFactory<NerubaDbContext> dbFactory, IBackgroundJobClient jobs, TimeProvider clock)
{
    public const string RecurringJobId = "stripe-reconciliation";
    public const string Schedule = "0 2 * * *";

    /// <summary>A queued run nobody picked up this long is queued again (embedded Hangfire forgets its queue on restart).</summary>
    public static readonly TimeSpan QueuedGrace = TimeSpan.FromMinutes(5);

    public async Task RunDailyAsync(CancellationToken cancellationToken)
    {
        var today = new DateTimeOffset(clock.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var projects = await db.StripeAccounts.Where(StripeAccountRecord.Configured).Select(a => a.ProjectId).ToListAsync(cancellationToken);
        foreach (var projectId in projects)
        {
            if (await UnderWayAsync(db, projectId, cancellationToken) is null)
            {
                var run = NewRun(projectId, today.AddDays(-1), today, ReconciliationTrigger.Scheduled, "Daily schedule", clock.GetUtcNow());
                db.ReconciliationRuns.Add(run);
                try
                {
                    await db.SaveChangesAsync(cancellationToken);
                }
                catch (DbUpdateException exception) when (Ledger.WalletWriter.IsLostRace(exception))
                {
                    // Another node (or a person) started one for this project at the same moment: one run under way per project is enough.
                    db.Entry(run).State = EntityState.Detached;
                    continue;
                }

                jobs.Enqueue<ReconciliationJob>(job => job.RunAsync(run.Id, CancellationToken.None));
            }
        }
    }

    /// <summary>Queues again the runs a stopped process left behind: after a start every unfinished one, otherwise those queued too long.</summary>
    internal static async Task ResumeAsync(NerubaDbContext db, IBackgroundJobClient jobs, DateTimeOffset now, bool afterStart,
        CancellationToken cancellationToken)
    {
        var before = now - QueuedGrace;
        var runs = await db.ReconciliationRuns.AsNoTracking()
            .Where(r => (r.Status == ReconciliationRunStatus.Running && (afterStart || r.StartedAt < now - ReconciliationJob.StaleAfter))
                || (r.Status == ReconciliationRunStatus.Queued && (afterStart || r.CreatedAt < before)))
            .Select(r => r.Id).Take(100).ToListAsync(cancellationToken);
        foreach (var id in runs)
        {
            jobs.Enqueue<ReconciliationJob>(job => job.RunAsync(id, CancellationToken.None));
        }
    }

    internal static Task<ReconciliationRunRecord?> UnderWayAsync(NerubaDbContext db, Guid projectId, CancellationToken cancellationToken) =>
        db.ReconciliationRuns.AsNoTracking().Where(r => r.ProjectId == projectId
            && (r.Status == ReconciliationRunStatus.Queued || r.Status == ReconciliationRunStatus.Running)).FirstOrDefaultAsync(cancellationToken);

    internal static ReconciliationRunRecord NewRun(Guid projectId, DateTimeOffset start, DateTimeOffset end, ReconciliationTrigger trigger, string by,
        DateTimeOffset now) => new()
        {
            Id = Guid.NewGuid(), ProjectId = projectId, WindowStart = start.ToUniversalTime(), WindowEnd = end.ToUniversalTime(), Trigger = trigger,
            RequestedByName = by, CreatedAt = now,
        };
}
