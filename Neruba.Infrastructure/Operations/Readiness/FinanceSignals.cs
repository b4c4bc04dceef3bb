using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Billing.Corrections;
using Neruba.Infrastructure.Payments;
using Neruba.Infrastructure.Payments.Disputes;
using Neruba.Infrastructure.Payments.Reconciliation;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Infrastructure.Operations.Readiness;

/// <summary>Finance: what waits for a second person, dispute deadlines, reconciliation, and payments or webhooks that failed.</summary>
internal static class FinanceSignals
{
    public static readonly TimeSpan FailureWindow = TimeSpan.FromDays(7);

    public static async Task<IReadOnlyList<ReadinessSignal>> ReadAsync(NerubaDbContext db, Project project, DateTimeOffset now, bool stripeConfigured,
        CancellationToken cancellationToken)
    {
        var signals = new List<ReadinessSignal>
        {
            await ApprovalsAsync(db, project, now, cancellationToken),
            await DisputesAsync(db, project.Id, now, cancellationToken),
        };
        signals.AddRange(await ReconciliationAsync(db, project, now, stripeConfigured, cancellationToken));
        signals.Add(await FailuresAsync(db, project, now, cancellationToken));
        return signals;
    }

    /// <summary>Everything a second person must decide: credit grants, rerun commits, dispute acceptances and reconciliation entries.</summary>
    private static async Task<ReadinessSignal> ApprovalsAsync(NerubaDbContext db, Project project, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var id = project.Id;
        var waiting = new List<(string Kind, DateTimeOffset Since)>();
        waiting.AddRange((await db.CreditGrants.AsNoTracking().Where(g => g.ProjectId == id && g.Status == CreditGrantStatus.PendingApproval)
            .Select(g => g.RequestedAt).ToListAsync(cancellationToken)).Select(at => ("credit grant", at)));
        waiting.AddRange((await db.RerunCommits.AsNoTracking().Where(c => c.ProjectId == id && c.Status == RerunCommitStatus.PendingApproval)
            .Select(c => c.ProposedAt).ToListAsync(cancellationToken)).Select(at => ("rerun correction", at)));
        waiting.AddRange((await db.Disputes.AsNoTracking().Where(d => d.ProjectId == id && d.AcceptRequestedAt != null && d.AcceptedAt == null && d.ClosedAt == null)
            .Select(d => d.AcceptRequestedAt!.Value).ToListAsync(cancellationToken)).Select(at => ("dispute acceptance", at)));
        waiting.AddRange((await db.ReconciliationMismatches.AsNoTracking()
            .Where(m => m.ProjectId == id && m.Status == MismatchStatus.Open && m.ApprovalRequestedAt != null)
            .Select(m => m.ApprovalRequestedAt!.Value).ToListAsync(cancellationToken)).Select(at => ("reconciliation entry", at)));
        var redAfter = TimeSpan.FromHours(project.Readiness.ApprovalAgeHours);
        var oldest = waiting.Count == 0 ? (TimeSpan?)null : now - waiting.Min(w => w.Since);
        var kinds = waiting.GroupBy(w => w.Kind).Select(g => ReadinessWords.Count(g.Count(), g.Key, g.Key + "s")).ToList();
        return new ReadinessSignal("finance.approvals", ReadinessArea.Finance, "Awaiting approval",
            oldest is null ? SignalLevel.Green : oldest >= redAfter ? SignalLevel.Red : SignalLevel.Amber,
            oldest is null ? "Nothing waits for a second person" : $"{string.Join(", ", kinds)}; oldest waiting {ReadinessWords.Age(oldest.Value)}",
            waiting.Count, $"Any waiting is amber, older than {project.Readiness.ApprovalAgeHours} h red", "/credits", "Credit approvals",
            Runbooks.CreditApprovalBacklog, []);
    }

    private static async Task<ReadinessSignal> DisputesAsync(NerubaDbContext db, Guid projectId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var waiting = await GetPaymentSignals.AwaitingEvidence(db, projectId).Select(d => new { d.Id, Due = d.EvidenceDueBy!.Value }).ToListAsync(cancellationToken);
        var overdue = waiting.Where(d => d.Due < now).OrderBy(d => d.Due).ToList();
        var soon = waiting.Where(d => d.Due >= now && d.Due - now <= GetPaymentSignals.DueSoonWindow).OrderBy(d => d.Due).ToList();
        var figure = (overdue.Count, soon.Count) switch
        {
            (0, 0) => waiting.Count == 0 ? "No dispute waits for evidence" : ReadinessWords.Count(waiting.Count, "dispute", "disputes") + " waiting, none due within 72 h",
            (0, _) => ReadinessWords.Count(soon.Count, "dispute", "disputes") + $" due within 72 h; next in {ReadinessWords.Age(soon[0].Due - now)}",
            _ => ReadinessWords.Count(overdue.Count, "dispute", "disputes") + " past the evidence deadline" + (soon.Count > 0 ? $", {soon.Count} due within 72 h" : ""),
        };
        var first = overdue.Concat(soon).FirstOrDefault();
        return new ReadinessSignal("finance.disputes", ReadinessArea.Finance, "Dispute deadlines",
            overdue.Count > 0 ? SignalLevel.Red : soon.Count > 0 ? SignalLevel.Amber : SignalLevel.Green, figure, overdue.Count + soon.Count,
            "Due within 72 h is amber, overdue red", first is null ? "/disputes" : $"/disputes/{first.Id}", "Disputes", Runbooks.DisputeDeadline,
            overdue.Concat(soon).Take(ReadinessSignal.MaxOffending).Select(d => d.Id.ToString()).ToList());
    }

    /// <summary>Open mismatches, and how far the reconciled windows reach (a run over an old window does not make today reconciled).</summary>
    private static async Task<IReadOnlyList<ReadinessSignal>> ReconciliationAsync(NerubaDbContext db, Project project, DateTimeOffset now, bool stripeConfigured,
        CancellationToken cancellationToken)
    {
        var open = await db.ReconciliationMismatches.CountAsync(m => m.ProjectId == project.Id && m.Status == MismatchStatus.Open, cancellationToken);
        var reachedTo = (await db.ReconciliationRuns.AsNoTracking().Where(r => r.ProjectId == project.Id && r.Status == ReconciliationRunStatus.Succeeded)
            .Select(r => r.WindowEnd).ToListAsync(cancellationToken)).DefaultIfEmpty().Max();
        var amberAfter = TimeSpan.FromHours(project.Readiness.ReconciliationAgeHours);
        var age = reachedTo == default ? (TimeSpan?)null : now - reachedTo;
        var ageLevel = !stripeConfigured ? SignalLevel.Off
            : age is null || age >= 2 * amberAfter ? SignalLevel.Red : age >= amberAfter ? SignalLevel.Amber : SignalLevel.Green;
        return
        [
            new ReadinessSignal("finance.mismatches", ReadinessArea.Finance, "Open reconciliation mismatches",
                open > 0 ? SignalLevel.Amber : stripeConfigured ? SignalLevel.Green : SignalLevel.Off,
                open > 0 ? ReadinessWords.Count(open, "mismatch", "mismatches") + " open" : "No open mismatch", open, "Any open is amber",
                "/reconciliation", "Reconciliation", Runbooks.ReconciliationMismatch, []),
            new ReadinessSignal("finance.reconciliation_age", ReadinessArea.Finance, "Last reconciliation",
                ageLevel, !stripeConfigured ? "Stripe is not configured" : age is null ? "Never reconciled"
                    : $"Reconciled up to {reachedTo:yyyy-MM-dd HH:mm} UTC ({ReadinessWords.Age(age.Value)} ago)",
                age is null ? -1 : (long)age.Value.TotalMinutes, $"Older than {project.Readiness.ReconciliationAgeHours} h is amber, twice that red",
                "/reconciliation", "Reconciliation", Runbooks.ReconciliationMismatch, []),
        ];
    }

    private static async Task<ReadinessSignal> FailuresAsync(NerubaDbContext db, Project project, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var since = now - FailureWindow;
        var payments = await db.CollectionAttempts.CountAsync(a => a.ProjectId == project.Id && a.Status == CollectionStatus.Failed && a.CreatedAt >= since,
            cancellationToken);
        var webhooks = await db.StripeEvents.AsNoTracking().Where(e => e.ProjectId == project.Id && e.Status == StripeEventStatus.Failed && e.ReceivedAt >= since)
            .OrderByDescending(e => e.ReceivedAt).Select(e => e.Id).ToListAsync(cancellationToken);
        var total = payments + webhooks.Count;
        var red = project.Readiness.FailedPaymentsRed;
        return new ReadinessSignal("finance.failures", ReadinessArea.Finance, "Failed payments and webhooks (7 days)",
            total == 0 ? SignalLevel.Green : total >= red ? SignalLevel.Red : SignalLevel.Amber,
            total == 0 ? "None failed" : $"{ReadinessWords.Count(payments, "payment", "payments")} and {ReadinessWords.Count(webhooks.Count, "webhook", "webhooks")} failed",
            total, $"Any is amber, {red} or more red", webhooks.Count > 0 ? $"/payments/webhooks/{webhooks[0]}" : "/payments", "Payments",
            webhooks.Count > 0 ? Runbooks.WebhookOutage : Runbooks.FailedPayments, webhooks.Take(ReadinessSignal.MaxOffending).Select(w => w.ToString()).ToList());
    }
}
