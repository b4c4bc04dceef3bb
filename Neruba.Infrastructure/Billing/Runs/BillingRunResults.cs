using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Persistence;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Billing.Runs;

/// <summary>
/// One thing a run produced: an invoice it finalized, or (dry runs) a customer's draft, which has no invoice and, since only its amount due
/// is kept beside the run, no total before credits.
/// </summary>
public sealed record BillingRunResult(Guid SubscriptionId, Guid CustomerId, string CustomerName, string ExternalId, Guid? InvoiceId, string? InvoiceNumber,
    string Currency, long? Total, long? CreditsApplied, long AmountDue);

/// <summary>What a run produced in one currency (amounts in different currencies are never added together); drafts have no total or credits.</summary>
public sealed record BillingRunTotal(string Currency, int Count, long? Total, long? CreditsApplied, long AmountDue);

/// <summary>A run whose invoices a later final run found already there.</summary>
public sealed record EarlierRun(Guid RunId, BillingRunKind Kind, DateTimeOffset CreatedAt, int Subscriptions);

/// <summary>
/// The subscriptions a final run skipped because their month already had its final invoice (from another run): the run links them
/// to those invoices instead of billing again (see <see cref="CustomerBilling"/>), so they are read from the items, no flag is kept.
/// </summary>
public sealed record AlreadyInvoiced(int Subscriptions, int Customers, IReadOnlyList<EarlierRun> From);

/// <summary>What a run produced, kept in SQL so it can be counted, sorted and paged by the database.</summary>
internal static class BillingRunResultQuery
{
    // A class with settable members (not a record's constructor) so EF can group and order on the projection.
    internal sealed class Row
    {
        public Guid SubscriptionId { get; init; }
        public Guid CustomerId { get; init; }
        public string CustomerName { get; init; } = "";
        public string ExternalId { get; init; } = "";
        public Guid? InvoiceId { get; init; }
        public long? Sequence { get; init; }
        public string Currency { get; init; } = "";
        public long? Total { get; init; }
        public long? CreditsApplied { get; init; }
        public long AmountDue { get; init; }
    }

    public static bool Finalizes(BillingRunKind kind) => kind is BillingRunKind.Manual or BillingRunKind.Scheduled;

    /// <summary>
    /// A final run's own invoices (an item linked to an earlier run's invoice is a skip, not a result), or the drafts of any other run.
    /// Driven by the run's items, whose index leads with the run; invoices are joined by their key.
    /// </summary>
    public static IQueryable<Row> Rows(NerubaDbContext db, BillingRunRecord run) => Finalizes(run.Kind)
        ? from i in db.BillingRunItems.AsNoTracking()
          join inv in db.Invoices.AsNoTracking() on i.InvoiceId equals (Guid?)inv.Id
          join c in db.Customers.AsNoTracking() on i.CustomerId equals c.Id
          where i.RunId == run.Id && inv.RunId == run.Id
          select new Row
          {
              SubscriptionId = i.SubscriptionId, CustomerId = i.CustomerId, CustomerName = c.Name, ExternalId = c.ExternalId, InvoiceId = inv.Id, Sequence = inv.Sequence,
              Currency = inv.Currency, Total = inv.Subtotal, CreditsApplied = inv.CreditsApplied, AmountDue = inv.AmountDue,
          }
        : from i in db.BillingRunItems.AsNoTracking()
          join c in db.Customers.AsNoTracking() on i.CustomerId equals c.Id
          where i.RunId == run.Id && i.Status == BillingRunItemStatus.Done && i.DraftTotal != null
          select new Row
          {
              SubscriptionId = i.SubscriptionId, CustomerId = i.CustomerId, CustomerName = c.Name, ExternalId = c.ExternalId, Currency = c.Currency,
              AmountDue = i.DraftTotal ?? 0,
          };

    /// <summary>What a run produced and, for a final run, what it found invoiced already (a rerun's outcome is its comparison instead).</summary>
    public static async Task<(IReadOnlyList<BillingRunTotal> Totals, AlreadyInvoiced? AlreadyInvoiced)> OutcomeAsync(NerubaDbContext db, BillingRunRecord run,
        CancellationToken cancellationToken) =>
        (run.Kind == BillingRunKind.Rerun ? [] : await TotalsAsync(db, run, cancellationToken),
            Finalizes(run.Kind) ? await AlreadyInvoicedAsync(db, run, cancellationToken) : null);

    /// <summary>One grouped query, whatever the number of customers; drafts are summed by their amount due alone.</summary>
    public static async Task<IReadOnlyList<BillingRunTotal>> TotalsAsync(NerubaDbContext db, BillingRunRecord run, CancellationToken cancellationToken) =>
        (await TotalsQuery(db, run).ToListAsync(cancellationToken)).OrderBy(t => t.Currency, StringComparer.Ordinal).ToList();

    internal static IQueryable<BillingRunTotal> TotalsQuery(NerubaDbContext db, BillingRunRecord run)
    {
        var groups = Rows(db, run).GroupBy(r => r.Currency);
        return Finalizes(run.Kind)
            ? groups.Select(g => new BillingRunTotal(g.Key, g.Count(), g.Sum(r => r.Total), g.Sum(r => r.CreditsApplied), g.Sum(r => r.AmountDue)))
            : groups.Select(g => new BillingRunTotal(g.Key, g.Count(), null, null, g.Sum(r => r.AmountDue)));
    }

    // Settable members, not a constructor, so EF can join and group on them.
    internal sealed class SkippedItem
    {
        public Guid CustomerId { get; init; }
        public Guid InvoiceRunId { get; init; }
    }

    /// <summary>The run's items linked to an invoice another run finalized.</summary>
    internal static IQueryable<SkippedItem> Skipped(NerubaDbContext db, BillingRunRecord run) =>
        from i in db.BillingRunItems.AsNoTracking()
        join inv in db.Invoices.AsNoTracking() on i.InvoiceId equals (Guid?)inv.Id
        where i.RunId == run.Id && inv.RunId != run.Id
        select new SkippedItem { CustomerId = i.CustomerId, InvoiceRunId = inv.RunId };

    /// <summary>The runs that had billed what this one skipped, newest first.</summary>
    internal static IQueryable<EarlierRun> EarlierRunsQuery(NerubaDbContext db, BillingRunRecord run) =>
        from x in Skipped(db, run)
        join r in db.BillingRuns.AsNoTracking() on x.InvoiceRunId equals r.Id
        group x by new { r.Id, r.Kind, r.CreatedAt } into g
        orderby g.Key.CreatedAt descending
        select new EarlierRun(g.Key.Id, g.Key.Kind, g.Key.CreatedAt, g.Count());

    /// <summary>What the run skipped: counted, and the runs it came from (at most five); three queries, two when nothing was skipped.</summary>
    public static async Task<AlreadyInvoiced?> AlreadyInvoicedAsync(NerubaDbContext db, BillingRunRecord run, CancellationToken cancellationToken)
    {
        var subscriptions = await Skipped(db, run).CountAsync(cancellationToken);
        if (subscriptions == 0)
        {
            return null;
        }

        var customers = await Skipped(db, run).Select(x => x.CustomerId).Distinct().CountAsync(cancellationToken);
        return new AlreadyInvoiced(subscriptions, customers, await EarlierRunsQuery(db, run).Take(5).ToListAsync(cancellationToken));
    }
}

/// <summary>A page of what a run produced (its invoices, or a dry run's drafts), sorted by the database with a total order.</summary>
public sealed class ListBillingRunResults : UseCase<ListBillingRunResults.Request, PageOf<BillingRunResult>>
{
    public enum SortField
    {
        Invoice,
        Customer,
        ExternalId,
        Total,
        AmountDue,
    }

    public sealed record Request(Guid RunId, int Page = 0, int PageSize = 25, SortField Sort = SortField.Invoice, bool Descending = false);

    public override AccessRule Access { get; } = new(Permission.ViewConsole, ApiScopes.BillingRead);

    public override async Task<UseCaseResult<PageOf<BillingRunResult>>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var run = await context.Db.BillingRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == request.RunId && r.ProjectId == context.ProjectId, cancellationToken);
        if (run is null)
        {
            return UseCaseResult<PageOf<BillingRunResult>>.NotFound("No such billing run in this project.");
        }

        var (page, size) = Paging.Normalize(request.Page, request.PageSize);
        var rows = BillingRunResultQuery.Rows(context.Db, run);
        var total = await rows.CountAsync(cancellationToken);
        var items = await Ordered(rows, request.Sort, request.Descending).Skip(page * size).Take(size).ToListAsync(cancellationToken);
        return UseCaseResult<PageOf<BillingRunResult>>.Ok(new PageOf<BillingRunResult>(items.Select(r => new BillingRunResult(r.SubscriptionId, r.CustomerId,
            r.CustomerName, r.ExternalId, r.InvoiceId, r.Sequence is { } sequence ? InvoiceRecord.FormatNumber(sequence) : null, r.Currency, r.Total, r.CreditsApplied,
            r.AmountDue)).ToList(), total, page, size));
    }

    // Drafts have no number or total: those sorts fall back to the customer. The subscription last makes the order total.
    internal static IQueryable<BillingRunResultQuery.Row> Ordered(IQueryable<BillingRunResultQuery.Row> rows, SortField sort, bool descending) => (sort, descending) switch
    {
        (SortField.Invoice, false) => rows.OrderBy(r => r.Sequence).ThenBy(r => r.CustomerName).ThenBy(r => r.SubscriptionId),
        (SortField.Invoice, true) => rows.OrderByDescending(r => r.Sequence).ThenBy(r => r.CustomerName).ThenBy(r => r.SubscriptionId),
        (SortField.ExternalId, false) => rows.OrderBy(r => r.ExternalId).ThenBy(r => r.SubscriptionId),
        (SortField.ExternalId, true) => rows.OrderByDescending(r => r.ExternalId).ThenBy(r => r.SubscriptionId),
        (SortField.Total, false) => rows.OrderBy(r => r.Total).ThenBy(r => r.AmountDue).ThenBy(r => r.ExternalId).ThenBy(r => r.SubscriptionId),
        (SortField.Total, true) => rows.OrderByDescending(r => r.Total).ThenByDescending(r => r.AmountDue).ThenBy(r => r.ExternalId).ThenBy(r => r.SubscriptionId),
        (SortField.AmountDue, false) => rows.OrderBy(r => r.AmountDue).ThenBy(r => r.ExternalId).ThenBy(r => r.SubscriptionId),
        (SortField.AmountDue, true) => rows.OrderByDescending(r => r.AmountDue).ThenBy(r => r.ExternalId).ThenBy(r => r.SubscriptionId),
        (_, true) => rows.OrderByDescending(r => r.CustomerName).ThenBy(r => r.ExternalId).ThenBy(r => r.SubscriptionId),
        _ => rows.OrderBy(r => r.CustomerName).ThenBy(r => r.ExternalId).ThenBy(r => r.SubscriptionId),
    };
}
