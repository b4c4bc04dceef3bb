using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Ledger.Integrity;

/// <summary>A stored check as the readiness page and the API show it.</summary>
public sealed record LedgerIntegrityView(Guid Id, LedgerIntegrityStatus Status, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, string Trigger,
    string RequestedByName, int EntriesChecked, int WalletsChecked, int InvoicesChecked, int ProblemCount, IReadOnlyList<LedgerProblem> Problems, string Error)
{
    public static LedgerIntegrityView Of(LedgerIntegrityCheckRecord r) => new(r.Id, r.Status, r.StartedAt, r.FinishedAt, r.Trigger, r.RequestedByName,
        r.EntriesChecked, r.WalletsChecked, r.InvoicesChecked, r.ProblemCount, LedgerIntegrityCheck.ProblemsOf(r), r.Error);
}

/// <summary>
/// "Check now" on the readiness page: any member may prove the ledger is whole (the check only reads), at most once a minute per project
/// so a held-down button cannot keep the database busy.
/// </summary>
public sealed class CheckLedgerIntegrity : UseCase<CheckLedgerIntegrity.Request, LedgerIntegrityView>
{
    public sealed record Request;

    public static readonly TimeSpan MinimumInterval = TimeSpan.FromMinutes(1);

    public override AccessRule Access { get; } = new(Permission.ViewConsole);

    public override async Task<UseCaseResult<LedgerIntegrityView>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var since = context.Now - MinimumInterval;
        var recent = await context.Db.LedgerIntegrityChecks.AsNoTracking()
            .Where(c => c.ProjectId == context.ProjectId && c.StartedAt > since && c.Trigger != LedgerIntegrityTriggers.Schedule)
            .OrderByDescending(c => c.StartedAt).FirstOrDefaultAsync(cancellationToken);
        if (recent is not null)
        {
            return UseCaseResult<LedgerIntegrityView>.Conflict(
                $"The ledger was checked less than a minute ago (by {recent.RequestedByName}); its result is shown. Try again in a minute.");
        }

        var result = await LedgerIntegrityCheck.RunAsync(context.Db, context.ProjectId, LedgerIntegrityTriggers.Console, context.Actor.Name, () => context.Now, cancellationToken);
        context.Audit("ledger.integrity_checked", "project", context.ProjectId.ToString(), null,
            new { result.Record.Status, result.Record.ProblemCount, result.Record.EntriesChecked });
        return UseCaseResult<LedgerIntegrityView>.Ok(LedgerIntegrityView.Of(result.Record));
    }
}
