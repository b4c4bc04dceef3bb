using System.Globalization;
using Neruba.Domain.Billing;
using Neruba.Domain.Money;
using Neruba.Infrastructure.Billing.Invoices;

namespace Neruba.Infrastructure.Billing.Corrections;

/// <summary>
/// What a rerun's draft charges beside what a subscription's month was billed so far: every non-void invoice of the month (the original or
/// its reissue and earlier supplemental invoices) less the credit notes issued against them. The difference is explained line by line.
/// </summary>
internal static class RerunDifference
{
    private sealed record LineKey(InvoiceLineKind Kind, Guid PlanVersionId, string? MetricCode, string? Tier, DateTimeOffset? FeePeriodStart);

    /// <summary>Recomputed charges − charges billed so far (net of credit notes), in minor units.</summary>
    public static long Of(InvoiceDraft draft, IReadOnlyList<InvoiceRecord> billed) => draft.Subtotal - billed.Sum(i => i.Subtotal - i.CreditedTotal);

    /// <summary>One line per changed charge (signed), plus what earlier credit notes gave back; the lines sum to <see cref="Of"/>.</summary>
    public static List<InvoiceLine> Lines(InvoiceDraft draft, IReadOnlyList<InvoiceRecord> billed, DateTimeOffset rerunAt)
    {
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

        var credited = billed.Sum(i => i.CreditedTotal);
        if (credited != 0)
        {
            lines.Add(new InvoiceLine(InvoiceLineKind.EarlierCredit, "Already credited", draft.Lines.Count > 0 ? draft.Lines[0].PlanVersionId : Guid.Empty, null, 1, 0, null,
                null, null, null, credited, $"Credit notes on {string.Join(", ", billed.Where(i => i.CreditedTotal != 0).Select(i => i.Number))} "
                + $"already gave back {new MoneyAmount(credited, currency)}"));
        }

        return lines;
    }

    private static LineKey Key(InvoiceLine line) => new(line.Kind, line.PlanVersionId, line.MetricCode, line.Tier, line.FeePeriodStart);

    private static Dictionary<LineKey, (long Amount, decimal Quantity, InvoiceLine? Line)> Totals(IEnumerable<InvoiceLine> lines) =>
        lines.GroupBy(Key).ToDictionary(g => g.Key, g => (g.Sum(l => l.Amount), g.Sum(l => l.Quantity), (InvoiceLine?)g.Last()));

    private static string Number(decimal value) => value.ToString("#,0.############", CultureInfo.InvariantCulture);
}
