using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Audit;
using Neruba.Domain.Billing;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Billing.Subscriptions;
using Neruba.Infrastructure.Ledger;
using Neruba.Infrastructure.Metering;
using Neruba.Infrastructure.Persistence;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Billing.Runs;

/// <summary>
/// Bills one subscription of a run inside the caller's transaction: rate, and for a final run number the
/// invoice and post it to the ledger (invoice issued, credit applied, next month's plan credit). Idempotent:
/// an invoice that already exists for (subscription, period, revision) is reused, never made twice.
/// </summary>
internal static class CustomerBilling
{
    public const int Revision = 0;

    public static async Task BillAsync(NerubaDbContext db, BillingRunRecord run, BillingRunItemRecord item, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var month = BillingCalendar.Month(run.PeriodStart);
        var existing = await db.Invoices.AsNoTracking()
            .Where(i => i.SubscriptionId == item.SubscriptionId && i.PeriodStart == month.Start && i.Revision == Revision)
            .Select(i => new { i.Id })
            .FirstOrDefaultAsync(cancellationToken);
        var finalizes = run.Kind is BillingRunKind.Scheduled or BillingRunKind.Manual;
        if (finalizes && existing is not null)
        {
            item.InvoiceId = existing.Id;
            return;
        }

        // A customer's month is counted up to one watermark: its first final invoice's. A sibling subscription billed later counts the same
        // events, so each event is either counted or late for the whole month. A rerun counts up to its own, newer watermark.
        var cutoff = run.Kind == BillingRunKind.Rerun ? null
            : await db.UsageCutoffs.AsNoTracking().FirstOrDefaultAsync(c => c.CustomerId == item.CustomerId && c.PeriodStart == month.Start, cancellationToken);
        var subscription = await db.Subscriptions.AsNoTracking().SingleAsync(s => s.Id == item.SubscriptionId, cancellationToken);
        var draft = Rater.Rate(await RatingInputLoader.LoadAsync(db, subscription, month, cutoff?.EventWatermark ?? run.EventWatermark, cancellationToken));
        item.DraftHash = draft.Hash();
        item.DraftTotal = draft.AmountDue;
        item.DraftSubtotal = draft.Subtotal;
        if (!finalizes)
        {
            item.DraftJson = draft.ToCanonicalJson();
            return;
        }

        item.InvoiceId = await FinalizeAsync(db, run, subscription, draft, now, cancellationToken);
        if (cutoff is null)
        {
            var created = new UsageCutoffRecord
            {
                ProjectId = run.ProjectId, CustomerId = item.CustomerId, PeriodStart = month.Start, EventWatermark = run.EventWatermark, RunId = run.Id, CreatedAt = now,
                HasWindows = true,
            };
            db.UsageCutoffs.Add(created);
            await db.SaveChangesAsync(cancellationToken);
            db.UsageCutoffWindows.AddRange(await BillableWindowsAsync(db, run.ProjectId, item.CustomerId, month, created.Id, cancellationToken));
        }
    }

    /// <summary>
    /// Where the customer's usage of the month is billable: every phase of each of its subscriptions (within the month) with each metric
    /// its plan version charges. The month is billed already, so no subscription can be added to it or changed in it any more.
    /// </summary>
    private static async Task<List<UsageCutoffWindowRecord>> BillableWindowsAsync(NerubaDbContext db, Guid projectId, Guid customerId, DateSpan month, long cutoffId,
        CancellationToken cancellationToken)
    {
        var phases = await (from p in db.SubscriptionPhases.AsNoTracking()
                            join s in db.Subscriptions.AsNoTracking() on p.SubscriptionId equals s.Id
                            join v in db.PlanVersions.AsNoTracking() on p.PlanVersionId equals v.Id
                            where s.CustomerId == customerId && p.From < month.End && (p.To == null || p.To > month.Start)
                            select new { p.From, p.To, v.Terms }).ToListAsync(cancellationToken);
        var metrics = await db.BillableMetrics.AsNoTracking().Where(m => m.ProjectId == projectId).ToDictionaryAsync(m => m.Code, m => m.Id, StringComparer.Ordinal, cancellationToken);
        return phases.SelectMany(p => p.Terms.Charges.Select(c => c.MetricCode).Distinct().Where(metrics.ContainsKey).Select(code => new UsageCutoffWindowRecord
        {
            CutoffId = cutoffId, MetricId = metrics[code], From = p.From > month.Start ? p.From : month.Start, To = p.To is { } to && to < month.End ? to : month.End,
        })).ToList();
    }

    private static async Task<Guid> FinalizeAsync(NerubaDbContext db, BillingRunRecord run, SubscriptionRecord subscription, InvoiceDraft draft, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var sequence = await InvoiceLookup.NextSequenceAsync(db, run.ProjectId, cancellationToken);
        var invoice = new InvoiceRecord
        {
            Id = Guid.NewGuid(), ProjectId = run.ProjectId, CustomerId = subscription.CustomerId, SubscriptionId = subscription.Id, PeriodStart = draft.PeriodStart,
            PeriodEnd = draft.PeriodEnd, Revision = Revision, Sequence = sequence, Status = InvoiceStatus.Finalized, Currency = draft.Currency,
            Subtotal = draft.Subtotal, CreditsApplied = draft.CreditsApplied, AmountDue = draft.AmountDue, Draft = draft, DraftHash = draft.Hash(),
            RunId = run.Id, FinalizedAt = now,
        };
        db.Invoices.Add(invoice);

        await InvoicePosting.PostAsync(db, invoice, RunActor(run), now, cancellationToken);

        await GrantNextMonthCreditAsync(db, run, subscription, draft, now, cancellationToken);
        db.AuditEntries.Add(UseCaseContext.CreateAuditEntry(SystemActor(run), "invoice.finalized", AuditOutcome.Succeeded, "invoice", invoice.Number, null,
            new { invoice.Number, Period = draft.PeriodStart.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), draft.Currency,
                draft.Subtotal, draft.CreditsApplied, draft.AmountDue, invoice.DraftHash, Run = run.Id },
            null, now, $"billing-run:{run.Id}"));
        return invoice.Id;
    }

    /// <summary>The plan's prepaid credit for the coming month, while the subscription runs into it.</summary>
    private static async Task GrantNextMonthCreditAsync(NerubaDbContext db, BillingRunRecord run, SubscriptionRecord subscription, InvoiceDraft draft,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var next = draft.PeriodEnd;
        if (subscription.EndsAt is { } ends && ends <= next)
        {
            return;
        }

        var phase = await db.SubscriptionPhases.AsNoTracking()
            .Where(p => p.SubscriptionId == subscription.Id && p.From <= next && (p.To == null || p.To > next))
            .FirstOrDefaultAsync(cancellationToken);
        if (phase is null)
        {
            return;
        }

        var terms = (await db.PlanVersions.AsNoTracking().SingleAsync(v => v.Id == phase.PlanVersionId, cancellationToken)).Terms;
        await SubscriptionLedger.GrantPlanCreditAsync(db, subscription, terms, next, now, SystemActor(run), cancellationToken);
    }

    private static InvoicePosting.Poster RunActor(BillingRunRecord run) => new(ActorKind.System, "billing-run", "Billing run");

    private static Actor SystemActor(BillingRunRecord run) => new(ActorKind.System, "billing-run", $"Billing run {run.Id.ToString()[..8]}", run.ProjectId,
        new HashSet<string>());
}
