using System.Globalization;
using Neruba.Domain.Billing;
using Neruba.Domain.Money;
using Microsoft.EntityFrameworkCore;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Infrastructure.Billing.Corrections;

/// <summary>
/// A subscription's month as billed so far: its invoices that are not void (the original or its reissue, and supplemental invoices) and what
/// earlier rerun commits credited on them. Credit notes Finance issued by hand (goodwill, refunds) are not charges and are left alone: a rerun
/// never bills them again.
/// </summary>
internal sealed record BilledMonth(IReadOnlyList<InvoiceRecord> Invoices, long RerunCredited, IReadOnlyList<string> RerunCreditedOn)
{
    public long Charges => Invoices.Sum(i => i.Subtotal) - RerunCredited;

    /// <summary>Each subscription's billed month, read in two queries.</summary>
    public static async Task<Dictionary<Guid, BilledMonth>> LoadAsync(NerubaDbContext db, IReadOnlyCollection<Guid> subscriptionIds, DateTimeOffset periodStart,
        bool tracked, CancellationToken cancellationToken)
    {
        var query = db.Invoices.Where(i => subscriptionIds.Contains(i.SubscriptionId) && i.PeriodStart == periodStart && i.Status != InvoiceStatus.Void);
        var invoices = await (tracked ? query : query.AsNoTracking()).OrderBy(i => i.Revision).ToListAsync(cancellationToken);
        var ids = invoices.Select(i => i.Id).ToList();
        var rerunNotes = await db.CreditNotes.AsNoTracking().Where(n => ids.Contains(n.InvoiceId) && n.RerunId != null && n.Status == CreditNoteStatus.Issued)
            .Select(n => new { n.InvoiceId, n.Total }).ToListAsync(cancellationToken);
        return invoices.GroupBy(i => i.SubscriptionId).ToDictionary(g => g.Key, g =>
        {
            var notes = rerunNotes.Where(n => g.Any(i => i.Id == n.InvoiceId)).ToList();
            return new BilledMonth(g.ToList(), notes.Sum(n => n.Total), g.Where(i => notes.Any(n => n.InvoiceId == i.Id)).Select(i => i.Number).ToList());
        });
    }
}

/// <summary>What a rerun's draft charges beside what the month was billed so far (<see cref="BilledMonth"/>), explained line by line.</summary>
internal static class RerunDifference
{
    private sealed record LineKey(InvoiceLineKind Kind, Guid PlanVersionId, string? MetricCode, string? Tier, DateTimeOffset? FeePeriodStart);

    /// <summary>Recomputed charges − charges billed so far, in minor units.</summary>
    public static long Of(InvoiceDraft draft, BilledMonth month) => draft.Subtotal - month.Charges;

    /// <summary>One line per changed charge (signed), plus what earlier rerun commits credited; the lines sum to <see cref="Of"/>.</summary>
    public static List<InvoiceLine> Lines(InvoiceDraft draft, BilledMonth month, DateTimeOffset rerunAt)
    {
        var billed = month.Invoices;
        var currency = Currency.Of(draft.Currency);
        var before = Totals(billed.SelectMany(i => i.Draft.Lines));
        var after = Totals(draft.Lines);
        var order = draft.Lines.Select(Key).Concat(billed.SelectMany(i => i.Draft.Lines).Select(Key)).Distinct().ToList();
        var lines = new List<InvoiceLine>();
        var day = rerunAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        foreach (var key in order)
        {
            var (oldAmount, oldQuantity, oldLine) = before.GetValueOrDefault(key);
            var (newAmount, newQuantity, newLine) = after.GetValueOrDefault(key);
            if (newAmount == oldAmount)
            {
                continue;
            }

            var line = newLine ?? oldLine!;
            lines.Add(line with
            {
                Quantity = newQuantity - oldQuantity, Amount = newAmount - oldAmount, ProrationDays = null, ProrationOfDays = null,
                Explanation = $"Rerun of {day}: {Number(oldQuantity)} → {Number(newQuantity)} units; billed {new MoneyAmount(oldAmount, currency)}, "
                    + $"recomputed {new MoneyAmount(newAmount, currency)}" + (newLine is null ? "" : $" ({newLine.Explanation})"),
            });
        }

        if (month.RerunCredited != 0)
        {
            lines.Add(new InvoiceLine(InvoiceLineKind.EarlierCredit, "Already credited", draft.Lines.Count > 0 ? draft.Lines[0].PlanVersionId : Guid.Empty, null, 1, 0, null,
                null, null, null, month.RerunCredited, $"Earlier rerun credit notes on {string.Join(", ", month.RerunCreditedOn)} "
                + $"already gave back {new MoneyAmount(month.RerunCredited, currency)}"));
        }

        return lines;
    }

    private static LineKey Key(InvoiceLine line) => new(line.Kind, line.PlanVersionId, line.MetricCode, line.Tier, line.FeePeriodStart);

    private static Dictionary<LineKey, (long Amount, decimal Quantity, InvoiceLine? Line)> Totals(IEnumerable<InvoiceLine> lines) =>
        lines.GroupBy(Key).ToDictionary(g => g.Key, g => (g.Sum(l => l.Amount), g.Sum(l => l.Quantity), (InvoiceLine?)g.Last()));

    private static string Number(decimal value) => value.ToString("#,0.############", CultureInfo.InvariantCulture);
}
