using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Infrastructure.Payments.Disputes;
using Neruba.Infrastructure.Payments.Reconciliation;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Payments;

/// <summary>
/// The payment signals readiness watches: disputes whose evidence is due within <see cref="GetPaymentSignals.DueSoonWindow"/> or already overdue
/// (open, waiting for a response, nothing submitted), open reconciliation mismatches, and when the last reconciliation succeeded.
/// </summary>
public sealed record PaymentSignals(int DisputesDueSoon, int DisputesOverdue, DateTimeOffset? NextEvidenceDue, int OpenMismatches,
    DateTimeOffset? LastReconciledAt, TimeSpan? SinceLastReconciliation);

public sealed class GetPaymentSignals : UseCase<GetPaymentSignals.Request, PaymentSignals>
{
    public static readonly TimeSpan DueSoonWindow = TimeSpan.FromHours(72);

    public sealed record Request;

    /// <summary>Open disputes waiting for evidence (nothing submitted yet) that have a deadline: what the signals and the readiness page count.</summary>
    internal static IQueryable<DisputeRecord> AwaitingEvidence(Persistence.NerubaDbContext db, Guid projectId) =>
        db.Disputes.AsNoTracking().Where(d => d.ProjectId == projectId && d.SubmittedAt == null && d.EvidenceDueBy != null
            && (d.Status == DisputeStatus.NeedsResponse || d.Status == DisputeStatus.WarningNeedsResponse));

    public override AccessRule Access { get; } = new(Permission.ViewConsole, ApiScopes.BillingRead);

    public override async Task<UseCaseResult<PaymentSignals>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var now = context.Now;
        var waiting = await AwaitingEvidence(context.Db, context.ProjectId).Select(d => d.EvidenceDueBy!.Value).ToListAsync(cancellationToken);
        var openMismatches = await context.Db.ReconciliationMismatches.CountAsync(m => m.ProjectId == context.ProjectId && m.Status == MismatchStatus.Open,
            cancellationToken);
        var lastReconciled = (await context.Db.ReconciliationRuns.AsNoTracking()
            .Where(r => r.ProjectId == context.ProjectId && r.Status == ReconciliationRunStatus.Succeeded && r.FinishedAt != null)
            .Select(r => r.FinishedAt!.Value).ToListAsync(cancellationToken)).DefaultIfEmpty().Max();
        DateTimeOffset? last = lastReconciled == default ? null : lastReconciled;
        var upcoming = waiting.Where(due => due >= now).DefaultIfEmpty().Min();
        return UseCaseResult<PaymentSignals>.Ok(new PaymentSignals(waiting.Count(due => due >= now && due - now <= DueSoonWindow),
            waiting.Count(due => due < now), upcoming == default ? null : upcoming, openMismatches, last, last is null ? null : now - last.Value));
    }
}
