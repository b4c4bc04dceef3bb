using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Domain.Billing;
using Neruba.Infrastructure.Customers;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Billing.Invoices;

public sealed record InvoiceSummary(Guid Id, string Number, Guid CustomerId, string CustomerName, string CustomerExternalId, DateTimeOffset PeriodStart,
    InvoiceStatus Status, string Currency, long Subtotal, long CreditsApplied, long AmountDue, DateTimeOffset FinalizedAt);

public sealed record PlanVersionRef(Guid Id, string PlanCode, string PlanName, int Number);

public sealed record InvoiceDetails(InvoiceSummary Summary, InvoiceDraft Draft, string DraftHash, Guid RunId, Guid SubscriptionId,
    IReadOnlyDictionary<Guid, PlanVersionRef> PlanVersions);

/// <summary>
/// Finalized invoices of the project, filtered by status, month, customer and currency, sorted and paged in the database
/// (newest number first unless asked otherwise).
/// </summary>
public sealed class ListInvoices : UseCase<ListInvoices.Request, PageOf<InvoiceSummary>>
{
    public enum SortField
    {
        Number,
        Customer,
        Period,
        Status,
        Subtotal,
        AmountDue,
        FinalizedAt,
    }

    public sealed record Request(InvoiceStatus? Status, DateOnly? Month, string? Customer, int Page, int PageSize,
        SortField Sort = SortField.Number, bool Descending = true, string? Currency = null);

    public override AccessRule Access { get; } = new(Permission.ViewConsole, ApiScopes.BillingRead);

    public override async Task<UseCaseResult<PageOf<InvoiceSummary>>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var query = from i in context.Db.Invoices.AsNoTracking()
                    join c in context.Db.Customers.AsNoTracking() on i.CustomerId equals c.Id
                    where i.ProjectId == context.ProjectId
                    select new Row { Invoice = i, Name = c.Name, ExternalId = c.ExternalId };
        if (request.Status is { } status)
        {
            query = query.Where(x => x.Invoice.Status == status);
        }

        if (request.Month is { } month)
        {
            var start = new DateTimeOffset(month.Year, month.Month, 1, 0, 0, 0, TimeSpan.Zero);
            query = query.Where(x => x.Invoice.PeriodStart == start);
        }

        if (!string.IsNullOrWhiteSpace(request.Currency))
        {
            var currency = request.Currency.Trim().ToUpperInvariant();
            query = query.Where(x => x.Invoice.Currency == currency);
        }

        if (!string.IsNullOrWhiteSpace(request.Customer))
        {
            var customer = await CustomerRules.FindAsync(context, request.Customer, cancellationToken);
            if (customer is null)
            {
                return UseCaseResult<PageOf<InvoiceSummary>>.NotFound($"No customer '{request.Customer}' in this project.");
            }

            query = query.Where(x => x.Invoice.CustomerId == customer.Id);
        }

        // Only the summary's columns: the draft (every line) stays in the database.
        var rows = await query.PageAsync(q => Sorted(q, request.Sort, request.Descending), request.Page, request.PageSize, x => new
            {
                x.Invoice.Id, x.Invoice.Sequence, x.Invoice.CustomerId, x.Name, x.ExternalId, x.Invoice.PeriodStart, x.Invoice.Status, x.Invoice.Currency,
                x.Invoice.Subtotal, x.Invoice.CreditsApplied, x.Invoice.AmountDue, x.Invoice.FinalizedAt,
            }, cancellationToken);
        var items = rows.Items.Select(r => new InvoiceSummary(r.Id, InvoiceRecord.FormatNumber(r.Sequence), r.CustomerId, r.Name, r.ExternalId, r.PeriodStart, r.Status,
            r.Currency, r.Subtotal, r.CreditsApplied, r.AmountDue, r.FinalizedAt)).ToList();
        return UseCaseResult<PageOf<InvoiceSummary>>.Ok(new PageOf<InvoiceSummary>(items, rows.Total, rows.Page, rows.PageSize));
    }

    // Every order ends on the invoice number, so equal keys still page stably. Amounts sort by minor units whatever the currency;
    // filter by currency to compare like with like.
    private static IQueryable<Row> Sorted(IQueryable<Row> query, SortField sort, bool descending) => sort switch
    {
        SortField.Customer => query.OrderBy(x => x.Name, descending).ThenBy(x => x.Invoice.Sequence, descending),
        SortField.Period => query.OrderBy(x => x.Invoice.PeriodStart, descending).ThenBy(x => x.Invoice.Sequence, descending),
        SortField.Status => query.OrderBy(x => x.Invoice.Status, descending).ThenBy(x => x.Invoice.Sequence, descending),
        SortField.Subtotal => query.OrderBy(x => x.Invoice.Subtotal, descending).ThenBy(x => x.Invoice.Sequence, descending),
        SortField.AmountDue => query.OrderBy(x => x.Invoice.AmountDue, descending).ThenBy(x => x.Invoice.Sequence, descending),
        SortField.FinalizedAt => query.OrderBy(x => x.Invoice.FinalizedAt, descending).ThenBy(x => x.Invoice.Sequence, descending),
        _ => query.OrderBy(x => x.Invoice.Sequence, descending),
    };

    private sealed class Row
    {
        public required InvoiceRecord Invoice { get; init; }

        public required string Name { get; init; }

        public required string ExternalId { get; init; }
    }
}

/// <summary>One invoice with every line as rating explained it, and the plan versions those lines name.</summary>
public sealed class GetInvoice : UseCase<GetInvoice.Request, InvoiceDetails>
{
    public sealed record Request(string? IdOrNumber);

    public override AccessRule Access { get; } = new(Permission.ViewConsole, ApiScopes.BillingRead);

    public override async Task<UseCaseResult<InvoiceDetails>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var invoice = await InvoiceLookup.FindAsync(context.Db.Invoices.AsNoTracking(), context.ProjectId, request.IdOrNumber, cancellationToken);
        if (invoice is null)
        {
            return UseCaseResult<InvoiceDetails>.NotFound($"No invoice '{request.IdOrNumber}' in this project.");
        }

        var customer = await context.Db.Customers.AsNoTracking().SingleAsync(c => c.Id == invoice.CustomerId, cancellationToken);
        var versionIds = invoice.Draft.Lines.Select(l => l.PlanVersionId).Distinct().ToList();
        var versions = await (from v in context.Db.PlanVersions.AsNoTracking()
                              join p in context.Db.Plans.AsNoTracking() on v.PlanId equals p.Id
                              where versionIds.Contains(v.Id)
                              select new PlanVersionRef(v.Id, p.Code, v.Name, v.Number)).ToDictionaryAsync(v => v.Id, cancellationToken);
        var summary = new InvoiceSummary(invoice.Id, invoice.Number, invoice.CustomerId, customer.Name, customer.ExternalId, invoice.PeriodStart, invoice.Status,
            invoice.Currency, invoice.Subtotal, invoice.CreditsApplied, invoice.AmountDue, invoice.FinalizedAt);
        return UseCaseResult<InvoiceDetails>.Ok(new InvoiceDetails(summary, invoice.Draft, invoice.DraftHash, invoice.RunId, invoice.SubscriptionId, versions));
    }
}

/// <summary>Finds a project's invoice by id or by number (INV-000012); another project's invoice is never found.</summary>
public static class InvoiceLookup
{
    public static Task<InvoiceRecord?> FindAsync(IQueryable<InvoiceRecord> invoices, Guid projectId, string? idOrNumber, CancellationToken cancellationToken) =>
        Named(invoices, projectId, idOrNumber).FirstOrDefaultAsync(cancellationToken);

    /// <summary>The project's invoice named by id or number, as a query (empty when the key names nothing), for callers that need only a column.</summary>
    public static IQueryable<InvoiceRecord> Named(IQueryable<InvoiceRecord> invoices, Guid projectId, string? idOrNumber)
    {
        invoices = invoices.Where(i => i.ProjectId == projectId);
        return DocumentKey.Parse(idOrNumber, "INV-") switch
        {
            (Guid id, _) => invoices.Where(i => i.Id == id),
            (_, long sequence) => invoices.Where(i => i.Sequence == sequence),
            _ => invoices.Where(_ => false),
        };
    }

    /// <summary>The next invoice number of the project. Two writers taking the same one collide on the unique index and the loser retries.</summary>
    public static async Task<long> NextSequenceAsync(Persistence.NerubaDbContext db, Guid projectId, CancellationToken cancellationToken)
    {
        var local = db.Invoices.Local.Where(i => i.ProjectId == projectId).Select(i => i.Sequence).DefaultIfEmpty(0).Max();
        var stored = await db.Invoices.Where(i => i.ProjectId == projectId).MaxAsync(i => (long?)i.Sequence, cancellationToken) ?? 0;
        return Math.Max(local, stored) + 1;
    }
}

/// <summary>A document named by its id or its number ("INV-000012": the prefix, then the sequence).</summary>
internal static class DocumentKey
{
    public static (Guid? Id, long? Sequence) Parse(string? idOrNumber, string prefix)
    {
        var key = idOrNumber?.Trim() ?? "";
        if (Guid.TryParse(key, out var id))
        {
            return (id, null);
        }

        return key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && long.TryParse(key[prefix.Length..], out var sequence) ? (null, sequence) : (null, null);
    }
}
