using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Persistence;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Billing.Runs;

/// <summary>
/// A rerun's recomputed charges beside what the subscription's month was billed so far: its invoices that are not void (the original or its
/// reissue, and supplemental invoices) less what earlier rerun commits credited. Finance's own credit notes (goodwill, refunds) are not charges
/// and never billed again. The difference is what committing the rerun corrects.
/// </summary>
public sealed record RerunComparison(Guid SubscriptionId, string CustomerName, string ExternalId, Guid InvoiceId, string InvoiceNumber, string Currency,
    long BilledCharges, long RecomputedCharges)
{
    public long Difference => RecomputedCharges - BilledCharges;

    public bool Unchanged => Difference == 0;
}

/// <summary>The sum of (recomputed − billed charges) over one currency's compared subscriptions, in minor units.</summary>
public sealed record RerunNet(string Currency, long Difference);

/// <summary>
/// A rerun against the finalized invoices, counted by the database over every recomputed customer: how many were compared
/// (done, with a finalized invoice for the month), how many differ, and the net change per currency (amounts in different
/// currencies are never added together).
/// </summary>
public sealed record RerunSummary(int Compared, int Differing, IReadOnlyList<RerunNet> Net);

/// <summary>The join of a rerun's finished items with the finalized invoices they recompute, kept in SQL so it can be counted and paged.</summary>
internal static class RerunComparisonQuery
{
    // A class with settable members (not a record's constructor) so EF can filter, group and order on the projection.
    internal sealed class Row
    {
        public Guid SubscriptionId { get; init; }
        public string CustomerName { get; init; } = "";
        public string ExternalId { get; init; } = "";
        public Guid InvoiceId { get; init; }
        public long Sequence { get; init; }
        public string Currency { get; init; } = "";
        public long BilledCharges { get; init; }
        public long RecomputedCharges { get; init; }
    }

    public static IQueryable<Row> Rows(NerubaDbContext db, BillingRunRecord run) =>
        from i in db.BillingRunItems.AsNoTracking()
        join inv in db.Invoices.AsNoTracking() on i.SubscriptionId equals inv.SubscriptionId
        join c in db.Customers.AsNoTracking() on i.CustomerId equals c.Id
        where i.RunId == run.Id && i.Status == BillingRunItemStatus.Done && inv.PeriodStart == run.PeriodStart && inv.Revision == CustomerBilling.Revision
            // A month whose invoices are all void (voided without a reissue) bills nothing to compare with, and a commit leaves it alone.
            && db.Invoices.Any(x => x.SubscriptionId == i.SubscriptionId && x.PeriodStart == run.PeriodStart && x.Status != InvoiceStatus.Void)
        select new Row
        {
            SubscriptionId = i.SubscriptionId, CustomerName = c.Name, ExternalId = c.ExternalId, InvoiceId = inv.Id, Sequence = inv.Sequence, Currency = inv.Currency,
            // As BilledMonth counts it: the month's invoices that are not void, less what earlier rerun commits credited (not Finance's own credit notes).
            BilledCharges = db.Invoices.Where(x => x.SubscriptionId == i.SubscriptionId && x.PeriodStart == run.PeriodStart && x.Status != InvoiceStatus.Void)
                .Sum(x => x.Subtotal)
                // Joined from the month's invoices (by subscription and period) to their notes (by invoice): both sides seek an index.
                - (from x in db.Invoices
                   join n in db.CreditNotes on x.Id equals n.InvoiceId
                   where x.SubscriptionId == i.SubscriptionId && x.PeriodStart == run.PeriodStart && x.Status != InvoiceStatus.Void
                       && n.RerunId != null && n.Status == Corrections.CreditNoteStatus.Issued
                   select n.Total).Sum(),
            RecomputedCharges = i.DraftSubtotal ?? i.DraftTotal ?? 0,
        };

    internal sealed record CurrencySummary(string Currency, int Compared, int Differing, long Net);

    /// <summary>One grouped query, whatever the number of customers.</summary>
    internal static IQueryable<CurrencySummary> SummaryQuery(NerubaDbContext db, BillingRunRecord run) =>
        Rows(db, run).GroupBy(r => r.Currency)
            .Select(g => new CurrencySummary(g.Key, g.Count(), g.Count(r => r.RecomputedCharges != r.BilledCharges), g.Sum(r => r.RecomputedCharges - r.BilledCharges)));

    /// <summary>Changed first, the largest absolute difference first, then external id and subscription: a total order.</summary>
    internal static IQueryable<Row> Ordered(IQueryable<Row> rows) =>
        rows.OrderBy(r => r.RecomputedCharges == r.BilledCharges).ThenByDescending(r => Math.Abs(r.RecomputedCharges - r.BilledCharges)).ThenBy(r => r.ExternalId).ThenBy(r => r.SubscriptionId);

    public static async Task<RerunSummary> SummarizeAsync(NerubaDbContext db, BillingRunRecord run, CancellationToken cancellationToken)
    {
        var byCurrency = await SummaryQuery(db, run).ToListAsync(cancellationToken);
        return new RerunSummary(byCurrency.Sum(c => c.Compared), byCurrency.Sum(c => c.Differing),
            byCurrency.OrderBy(c => c.Currency, StringComparer.Ordinal).Select(c => new RerunNet(c.Currency, c.Net)).ToList());
    }
}

/// <summary>
/// A page of a rerun's comparisons: changed customers first, the largest absolute difference first, then by external id
/// (and subscription, for customers with several), a total order so consecutive pages neither overlap nor skip.
/// </summary>
public sealed class ListRerunComparisons : UseCase<ListRerunComparisons.Request, PageOf<RerunComparison>>
{
    public sealed record Request(Guid RunId, bool OnlyDifferences = true, int Page = 0, int PageSize = 25);

    public override AccessRule Access { get; } = new(Permission.ViewConsole, ApiScopes.BillingRead);

    public override async Task<UseCaseResult<PageOf<RerunComparison>>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var run = await context.Db.BillingRuns.AsNoTracking()
            .FirstOrDefaultAsync(r => r.Id == request.RunId && r.ProjectId == context.ProjectId && r.Kind == BillingRunKind.Rerun, cancellationToken);
        if (run is null)
        {
            return UseCaseResult<PageOf<RerunComparison>>.NotFound("No such rerun in this project.");
        }

        var (page, size) = Paging.Normalize(request.Page, request.PageSize);
        var rows = RerunComparisonQuery.Rows(context.Db, run);
        if (request.OnlyDifferences)
        {
            rows = rows.Where(r => r.RecomputedCharges != r.BilledCharges);
        }

        var total = await rows.CountAsync(cancellationToken);
        var items = await RerunComparisonQuery.Ordered(rows).Skip(page * size).Take(size).ToListAsync(cancellationToken);
        return UseCaseResult<PageOf<RerunComparison>>.Ok(new PageOf<RerunComparison>(items.Select(r => new RerunComparison(r.SubscriptionId, r.CustomerName,
            r.ExternalId, r.InvoiceId, InvoiceRecord.FormatNumber(r.Sequence), r.Currency, r.BilledCharges, r.RecomputedCharges)).ToList(),
            total, page, size));
    }
}
