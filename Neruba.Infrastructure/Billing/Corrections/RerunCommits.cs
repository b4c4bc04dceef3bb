using Hangfire;
using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Domain.Billing;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Billing.Runs;
using Neruba.Infrastructure.Persistence;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Billing.Corrections;

/// <summary>A rerun commit as the console shows it: the effect, who proposed and decided, and the job's progress counted from its items.</summary>
public sealed record RerunCommitView(Guid Id, Guid RunId, DateTimeOffset PeriodStart, RerunCommitStatus Status, string ProposedById, string ProposedByName,
    DateTimeOffset ProposedAt,
    string Comment, bool NeedsApproval, string? DecidedByName, DateTimeOffset? DecidedAt, string? DecisionComment, IReadOnlyList<RerunCommitEffect> Effect,
    int Total, int Done, int Failed, string? JobId, DateTimeOffset? FinishedAt, IReadOnlyList<RerunCommitFailure> Failures)
{
    public bool IsActive => Status is RerunCommitStatus.Queued or RerunCommitStatus.Running;
}

public sealed record RerunCommitFailure(Guid SubscriptionId, string CustomerName, string Error);

/// <summary>What committing a rerun would issue, before anyone proposes it.</summary>
public sealed record RerunCommitPlan(Guid RunId, IReadOnlyList<RerunCommitEffect> Effect, int Changed, bool NeedsApproval, long ThresholdMinor, string ThresholdCurrency,
    RerunCommitView? Existing);

internal sealed record RerunChange(Guid SubscriptionId, Guid CustomerId, string Currency, long Difference);

internal static class RerunCommitRules
{
    /// <summary>Every subscription of the rerun whose recomputed charges differ from what its month was billed so far (read in chunks).</summary>
    public static async Task<List<RerunChange>> ChangesAsync(NerubaDbContext db, BillingRunRecord run, CancellationToken cancellationToken)
    {
        var changes = new List<RerunChange>();
        var ids = await db.BillingRunItems.AsNoTracking().Where(i => i.RunId == run.Id && i.Status == BillingRunItemStatus.Done && i.DraftJson != null)
            .OrderBy(i => i.Position).Select(i => i.SubscriptionId).ToListAsync(cancellationToken);
        foreach (var chunk in ids.Chunk(200))
        {
            var drafts = await db.BillingRunItems.AsNoTracking().Where(i => i.RunId == run.Id && chunk.Contains(i.SubscriptionId))
                .Select(i => new { i.SubscriptionId, i.CustomerId, i.DraftJson }).ToListAsync(cancellationToken);
            var billed = await BilledMonth.LoadAsync(db, chunk, run.PeriodStart, tracked: false, cancellationToken);
            foreach (var item in drafts.OrderBy(d => Array.IndexOf(chunk, d.SubscriptionId)))
            {
                if (!billed.TryGetValue(item.SubscriptionId, out var month))
                {
                    continue;
                }

                var draft = InvoiceDraft.FromCanonicalJson(item.DraftJson!);
                var difference = RerunDifference.Of(draft, month);
                if (difference != 0)
                {
                    changes.Add(new RerunChange(item.SubscriptionId, item.CustomerId, draft.Currency, difference));
                }
            }
        }

        return changes;
    }

    public static IReadOnlyList<RerunCommitEffect> Effect(IEnumerable<RerunChange> changes) =>
        changes.GroupBy(c => c.Currency, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new RerunCommitEffect(g.Key, g.Count(c => c.Difference < 0), -g.Where(c => c.Difference < 0).Sum(c => c.Difference),
                g.Count(c => c.Difference > 0), g.Where(c => c.Difference > 0).Sum(c => c.Difference))).ToList();

    /// <summary>Above the project's threshold (credit notes and supplemental invoices together), or in another currency than the project's, a second person decides.</summary>
    public static bool NeedsApproval(Project project, IReadOnlyList<RerunCommitEffect> effect) =>
        effect.Any(e => e.Currency != project.DefaultCurrency)
        || effect.Where(e => e.Currency == project.DefaultCurrency).Sum(e => e.CreditTotal + e.SupplementalTotal) > project.CorrectionApprovalThresholdMinor;

    public static async Task<RerunCommitView> ViewAsync(NerubaDbContext db, RerunCommitRecord commit, CancellationToken cancellationToken)
    {
        var counts = await db.RerunCommitItems.AsNoTracking().Where(i => i.CommitId == commit.Id).GroupBy(i => i.Status)
            .Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var failures = await (from i in db.RerunCommitItems.AsNoTracking()
                              join c in db.Customers.AsNoTracking() on i.CustomerId equals c.Id
                              where i.CommitId == commit.Id && i.Status == RerunCommitItemStatus.Failed
                              orderby i.Position
                              select new RerunCommitFailure(i.SubscriptionId, c.Name, i.Error ?? "")).Take(50).ToListAsync(cancellationToken);
        int Count(RerunCommitItemStatus status) => counts.FirstOrDefault(c => c.Key == status)?.Count ?? 0;
        return new RerunCommitView(commit.Id, commit.RunId, commit.PeriodStart, commit.Status, commit.ProposedById, commit.ProposedByName, commit.ProposedAt, commit.Comment,
            commit.NeedsApproval, commit.DecidedByName, commit.DecidedAt, commit.DecisionComment, commit.Effect, commit.Total, Count(RerunCommitItemStatus.Done),
            Count(RerunCommitItemStatus.Failed), commit.JobId, commit.FinishedAt, failures);
    }

    public static void EnqueueAfterCommit(UseCaseContext context, IBackgroundJobClient jobs, IDbContextFactory<NerubaDbContext> dbFactory, Guid commitId) =>
        context.AfterCommit(() =>
        {
            var jobId = jobs.Enqueue<RerunCommitJob>(job => job.RunAsync(commitId, CancellationToken.None));
            using var db = dbFactory.CreateDbContext();
            db.RerunCommits.Where(c => c.Id == commitId).ExecuteUpdate(s => s.SetProperty(c => c.JobId, jobId));
        });

    public static Task<BillingRunRecord?> RerunAsync(UseCaseContext context, Guid runId, CancellationToken cancellationToken) =>
        context.Db.BillingRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId && r.ProjectId == context.ProjectId && r.Kind == BillingRunKind.Rerun,
            cancellationToken);
}

/// <summary>The effect of committing a rerun (n credit notes totalling X, m supplemental invoices totalling Y), and its commit if there is one.</summary>
public sealed class PlanRerunCommit : UseCase<PlanRerunCommit.Request, RerunCommitPlan>
{
    public sealed record Request(Guid RunId);

    public override AccessRule Access { get; } = new(Permission.ViewConsole, ApiScopes.BillingRead);

    public override async Task<UseCaseResult<RerunCommitPlan>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var run = await RerunCommitRules.RerunAsync(context, request.RunId, cancellationToken);
        if (run is null)
        {
            return UseCaseResult<RerunCommitPlan>.NotFound("No such rerun in this project.");
        }

        var project = await context.Db.Projects.AsNoTracking().SingleAsync(p => p.Id == context.ProjectId, cancellationToken);
        var existing = await context.Db.RerunCommits.AsNoTracking().FirstOrDefaultAsync(c => c.RunId == run.Id, cancellationToken);
        if (existing is not null)
        {
            return UseCaseResult<RerunCommitPlan>.Ok(new RerunCommitPlan(run.Id, existing.Effect, existing.Total, existing.NeedsApproval,
                project.CorrectionApprovalThresholdMinor, project.DefaultCurrency, await RerunCommitRules.ViewAsync(context.Db, existing, cancellationToken)));
        }

        var changes = run.Status == BillingRunStatus.Succeeded ? await RerunCommitRules.ChangesAsync(context.Db, run, cancellationToken) : [];
        var effect = RerunCommitRules.Effect(changes);
        return UseCaseResult<RerunCommitPlan>.Ok(new RerunCommitPlan(run.Id, effect, changes.Count, RerunCommitRules.NeedsApproval(project, effect),
            project.CorrectionApprovalThresholdMinor, project.DefaultCurrency, null));
    }
}

/// <summary>
/// An Operator proposes to commit a finished rerun: the changed subscriptions and the effect are fixed now. Within the project's correction
/// threshold the job starts at once; above it a Finance member other than the proposer must approve.
/// </summary>
public sealed class ProposeRerunCommit(IBackgroundJobClient jobs, IDbContextFactory<NerubaDbContext> dbFactory)
    : UseCase<ProposeRerunCommit.Request, RerunCommitView>
{
    public sealed record Request(Guid RunId, string? Comment);

    public override AccessRule Access { get; } = new(Permission.RunJobs);

    public override ValidationErrors Validate(Request request) =>
        new ValidationErrors().Optional("comment", request.Comment, RerunCommitRecord.MaxCommentLength, "The comment", multiline: true);

    public override async Task<UseCaseResult<RerunCommitView>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var run = await RerunCommitRules.RerunAsync(context, request.RunId, cancellationToken);
        if (run is null)
        {
            return UseCaseResult<RerunCommitView>.NotFound("No such rerun in this project.");
        }

        if (run.Status != BillingRunStatus.Succeeded)
        {
            return UseCaseResult<RerunCommitView>.Conflict(run.Status == BillingRunStatus.CompletedWithFailures
                ? "Some customers of this rerun failed; retry them first, so the commit corrects every invoice it should."
                : "This rerun has not finished yet.");
        }

        if (await context.Db.BillingRuns.AsNoTracking().AnyAsync(r => r.ProjectId == context.ProjectId && r.Kind == BillingRunKind.Rerun
                && r.PeriodStart == run.PeriodStart && r.CreatedAt > run.CreatedAt, cancellationToken))
        {
            // An older rerun counted fewer events: committing it after a newer one would undo what the newer one found.
            return UseCaseResult<RerunCommitView>.Conflict($"A newer rerun of {run.PeriodStart:yyyy-MM} exists; commit that one instead.");
        }

        if (await context.Db.RerunCommits.AsNoTracking().FirstOrDefaultAsync(c => c.RunId == run.Id, cancellationToken) is { } existing)
        {
            return UseCaseResult<RerunCommitView>.Conflict($"This rerun was already proposed for commit by {existing.ProposedByName}.");
        }

        var changes = await RerunCommitRules.ChangesAsync(context.Db, run, cancellationToken);
        if (changes.Count == 0)
        {
            return UseCaseResult<RerunCommitView>.Conflict("Nothing to correct: every recomputed invoice matches what was billed.");
        }

        var project = await context.Db.Projects.AsNoTracking().SingleAsync(p => p.Id == context.ProjectId, cancellationToken);
        var effect = RerunCommitRules.Effect(changes);
        var needsApproval = RerunCommitRules.NeedsApproval(project, effect);
        var commit = new RerunCommitRecord
        {
            Id = Guid.NewGuid(), ProjectId = context.ProjectId, RunId = run.Id, PeriodStart = run.PeriodStart,
            Status = needsApproval ? RerunCommitStatus.PendingApproval : RerunCommitStatus.Queued, ProposedById = context.Actor.PersonId,
            ProposedByName = context.Actor.Name, ProposedAt = context.Now, Comment = request.Comment?.Trim() ?? "", NeedsApproval = needsApproval,
            Total = changes.Count, Effect = effect,
        };
        context.Db.RerunCommits.Add(commit);
        context.Db.RerunCommitItems.AddRange(changes.Select((c, position) => new RerunCommitItemRecord
        {
            Id = Guid.NewGuid(), CommitId = commit.Id, SubscriptionId = c.SubscriptionId, CustomerId = c.CustomerId, Position = position, Currency = c.Currency,
            Difference = c.Difference,
        }));
        if (!needsApproval)
        {
            RerunCommitRules.EnqueueAfterCommit(context, jobs, dbFactory, commit.Id);
        }

        context.Audit(needsApproval ? "rerun.commit_requested" : "rerun.commit_started", "billing_run", run.Id.ToString(), null,
            new { Period = run.PeriodStart.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), commit.Total, Effect = effect }, commit.Comment);
        return UseCaseResult<RerunCommitView>.Ok(await RerunCommitRules.ViewAsync(context.Db, commit, cancellationToken) with { Total = changes.Count });
    }
}

/// <summary>A Finance member approves (the job starts) or rejects a rerun commit waiting above the threshold. Never the proposer.</summary>
public sealed class DecideRerunCommit(IBackgroundJobClient jobs, IDbContextFactory<NerubaDbContext> dbFactory) : UseCase<DecideRerunCommit.Request, RerunCommitView>
{
    public sealed record Request(Guid CommitId, bool Approve, string? Comment);

    public override AccessRule Access { get; } = new(Permission.ManageMoney);

    public override ValidationErrors Validate(Request request) =>
        new ValidationErrors().Required("comment", request.Comment, RerunCommitRecord.MaxCommentLength, "A comment", multiline: true);

    public override async Task<UseCaseResult<RerunCommitView>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var commit = await context.Db.RerunCommits.FirstOrDefaultAsync(c => c.Id == request.CommitId && c.ProjectId == context.ProjectId, cancellationToken);
        if (commit is null)
        {
            return UseCaseResult<RerunCommitView>.NotFound("No such rerun commit in this project.");
        }

        if (commit.Status != RerunCommitStatus.PendingApproval)
        {
            return UseCaseResult<RerunCommitView>.Conflict($"This commit is no longer waiting for approval (decided by {commit.DecidedByName ?? "nobody: it did not need it"}).");
        }

        if (commit.ProposedById == context.Actor.PersonId)
        {
            return UseCaseResult<RerunCommitView>.Forbidden("You proposed this commit, so you cannot decide it: another Finance member must approve or reject it.");
        }

        commit.Status = request.Approve ? RerunCommitStatus.Queued : RerunCommitStatus.Rejected;
        commit.DecidedById = context.Actor.PersonId;
        commit.DecidedByName = context.Actor.Name;
        commit.DecidedAt = context.Now;
        commit.DecisionComment = request.Comment!.Trim();
        commit.Version++;
        if (request.Approve)
        {
            RerunCommitRules.EnqueueAfterCommit(context, jobs, dbFactory, commit.Id);
        }

        context.Audit(request.Approve ? "rerun.commit_approved" : "rerun.commit_rejected", "billing_run", commit.RunId.ToString(), null,
            new { commit.Total, commit.Effect, commit.ProposedByName }, commit.DecisionComment);
        return UseCaseResult<RerunCommitView>.Ok(await RerunCommitRules.ViewAsync(context.Db, commit, cancellationToken));
    }
}
