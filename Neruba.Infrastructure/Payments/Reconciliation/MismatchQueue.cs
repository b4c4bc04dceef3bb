using Microsoft.EntityFrameworkCore;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Infrastructure.Payments.Reconciliation;

/// <summary>
/// Writes a run's findings into the queue: one open mismatch per (kind, source) — a re-run finds the open one again and refreshes it instead of
/// adding another — and closes the open ones of sources in the window that now match (or no longer differ that way).
/// </summary>
internal static class MismatchQueue
{
    public static async Task ApplyAsync(NerubaDbContext db, ReconciliationRunRecord run, IReadOnlyDictionary<string, List<Finding>> findings,
        IReadOnlyCollection<string> sources, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var projectId = run.ProjectId;
        var all = sources.Concat(findings.Keys).Distinct(StringComparer.Ordinal).ToList();
        var open = await db.ReconciliationMismatches
            .Where(m => m.ProjectId == projectId && m.OpenKey != null && all.Contains(m.SourceId)).ToListAsync(cancellationToken);
        // An explained difference is not raised again while both sides stay as they were when it was explained.
        var explained = await db.ReconciliationMismatches.AsNoTracking()
            .Where(m => m.ProjectId == projectId && m.Status == MismatchStatus.Explained && all.Contains(m.SourceId)).ToListAsync(cancellationToken);
        foreach (var finding in findings.Values.SelectMany(f => f).Where(f => !explained.Any(m => SameDifference(m, f))))
        {
            var existing = open.FirstOrDefault(m => m.OpenKey == finding.OpenKey);
            if (existing is null)
            {
                existing = new ReconciliationMismatchRecord
                {
                    Id = Guid.NewGuid(), ProjectId = projectId, Kind = finding.Kind, SourceId = finding.Txn.SourceId, OpenKey = finding.OpenKey,
                    FirstRunId = run.Id, FirstSeenAt = now,
                };
                db.ReconciliationMismatches.Add(existing);
                run.MismatchesOpened++;
            }
            else
            {
                run.MismatchesStillOpen++;
            }

            Refresh(existing, finding, run.Id, now);
        }

        var found = findings.Values.SelectMany(f => f).Where(f => !explained.Any(m => SameDifference(m, f))).Select(f => f.OpenKey).ToHashSet(StringComparer.Ordinal);
        foreach (var stale in open.Where(m => !found.Contains(m.OpenKey!)))
        {
            stale.Status = MismatchStatus.Matched;
            stale.OpenKey = null;
            stale.LastRunId = run.Id;
            stale.LastSeenAt = now;
            stale.ResolvedAt = now;
            stale.ResolvedByName = ReconciliationPass.ActorName;
            stale.ResolutionNote = "A later run found Stripe and the ledger agree.";
            stale.Version++;
            run.MismatchesClosed++;
        }
    }

    private static bool SameDifference(ReconciliationMismatchRecord m, Finding f) =>
        m.Kind == f.Kind && m.SourceId == f.Txn.SourceId && m.LedgerAmount == f.LedgerAmount && m.LedgerFee == f.LedgerFee
        && (f.Kind == MismatchKind.MissingInStripe || (m.StripeAmount == f.Txn.Amount && m.StripeFee == f.Txn.Fee));

    private static void Refresh(ReconciliationMismatchRecord mismatch, Finding finding, Guid runId, DateTimeOffset now)
    {
        var txn = finding.Txn;
        if (!SameDifference(mismatch, finding))
        {
            // A request to post an entry was for the old figures: it is withdrawn, and the entry is asked for again on the new ones.
            mismatch.ApprovalRequestedById = null;
            mismatch.ApprovalRequestedByName = null;
            mismatch.ApprovalRequestedAt = null;
            mismatch.ProposedReason = null;
        }

        mismatch.BalanceTransactionId = txn.Id.Length > 0 ? txn.Id : null;
        mismatch.ReportingCategory = txn.Category;
        mismatch.Currency = txn.Currency;
        mismatch.StripeAmount = finding.Kind == MismatchKind.MissingInStripe ? null : txn.Amount;
        mismatch.StripeFee = finding.Kind == MismatchKind.MissingInStripe ? null : txn.Fee;
        mismatch.LedgerAmount = finding.LedgerAmount;
        mismatch.LedgerFee = finding.LedgerFee;
        mismatch.OccurredAt = txn.Created;
        mismatch.StripeSide = Clip(finding.StripeSide);
        mismatch.LedgerSide = Clip(finding.LedgerSide);
        mismatch.SuggestedAction = Clip(finding.SuggestedAction);
        mismatch.LastRunId = runId;
        mismatch.LastSeenAt = now;
        mismatch.Version++;
    }

    private static string Clip(string text) =>
        text.Length > ReconciliationMismatchRecord.MaxTextLength ? text[..ReconciliationMismatchRecord.MaxTextLength] : text;
}
