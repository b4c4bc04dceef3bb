using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Domain.Customers;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Customers;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Billing.Corrections;

public sealed record CreditNoteSummary(Guid Id, string Number, Guid InvoiceId, string InvoiceNumber, Guid CustomerId, string CustomerName,
    string CustomerExternalId, CreditNoteStatus Status, string ReasonCode, string Currency, long Total, long ToDue, long Refunded, long ToWallet,
    DateTimeOffset IssuedAt);

/// <summary>Who voided a credit note, when and why.</summary>
public sealed record CreditNoteVoid(DateTimeOffset At, string ByName, string Reason);

public sealed record CreditNoteDetails(CreditNoteSummary Summary, string? CustomerEmail, IReadOnlyList<CreditNoteLine> Lines, string Note, string IssuedByName,
    string? ApprovedByName, Guid? RerunId, CreditNoteVoid? Void);

/// <summary>
/// Credit notes of the project, filtered by status, customer, invoice, reason code and month of issue, sorted and paged in the database
/// (newest number first unless asked otherwise).
/// </summary>
public sealed class ListCreditNotes : UseCase<ListCreditNotes.Request, PageOf<CreditNoteSummary>>
{
    public enum SortField
    {
        Number,
        Customer,
        Invoice,
        Status,
        Total,
        IssuedAt,
    }

    /// <param name="Invoice">An invoice id or number ("INV-000012"); one that is not the project's answers not found.</param>
    /// <param name="Month">The calendar month of issue, in UTC.</param>
    public sealed record Request(CreditNoteStatus? Status, string? Customer, string? Invoice, string? ReasonCode, DateOnly? Month, int Page, int PageSize,
        SortField Sort = SortField.Number, bool Descending = true);

    public override AccessRule Access { get; } = new(Permission.ViewConsole, ApiScopes.BillingRead);

    public override async Task<UseCaseResult<PageOf<CreditNoteSummary>>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var query = from n in context.Db.CreditNotes.AsNoTracking()
                    join i in context.Db.Invoices.AsNoTracking() on n.InvoiceId equals i.Id
                    join c in context.Db.Customers.AsNoTracking() on n.CustomerId equals c.Id
                    where n.ProjectId == context.ProjectId
                    select new Row { Note = n, InvoiceSequence = i.Sequence, Customer = c };
        if (request.Status is { } status)
        {
            query = query.Where(x => x.Note.Status == status);
        }

        if (!string.IsNullOrWhiteSpace(request.ReasonCode))
        {
            var reason = request.ReasonCode.Trim().ToLowerInvariant();
            query = query.Where(x => x.Note.ReasonCode == reason);
        }

        if (request.Month is { } month)
        {
            var start = new DateTimeOffset(month.Year, month.Month, 1, 0, 0, 0, TimeSpan.Zero);
            var end = start.AddMonths(1);
            query = query.Where(x => x.Note.IssuedAt >= start && x.Note.IssuedAt < end);
        }

        if (!string.IsNullOrWhiteSpace(request.Customer))
        {
            var customer = await CustomerRules.FindAsync(context, request.Customer, cancellationToken);
            if (customer is null)
            {
                return UseCaseResult<PageOf<CreditNoteSummary>>.NotFound($"No customer '{request.Customer}' in this project.");
            }

            query = query.Where(x => x.Note.CustomerId == customer.Id);
        }

        if (!string.IsNullOrWhiteSpace(request.Invoice))
        {
            var invoiceId = await InvoiceLookup.Named(context.Db.Invoices.AsNoTracking(), context.ProjectId, request.Invoice).Select(i => (Guid?)i.Id)
                .FirstOrDefaultAsync(cancellationToken);
            if (invoiceId is null)
            {
                return UseCaseResult<PageOf<CreditNoteSummary>>.NotFound($"No invoice '{request.Invoice}' in this project.");
            }

            query = query.Where(x => x.Note.InvoiceId == invoiceId);
        }

        // Only the summary's columns: the lines stay in the database.
        var rows = await query.PageAsync(q => Sorted(q, request.Sort, request.Descending), request.Page, request.PageSize, x => new
            {
                x.Note.Id, x.Note.Sequence, x.Note.InvoiceId, x.InvoiceSequence, x.Note.CustomerId, x.Customer.Name, x.Customer.ExternalId, x.Note.Status, x.Note.ReasonCode,
                x.Note.Currency, x.Note.Total, x.Note.ToDue, x.Note.Refunded, x.Note.ToWallet, x.Note.IssuedAt,
            }, cancellationToken);
        var items = rows.Items.Select(r => new CreditNoteSummary(r.Id, CreditNoteRecord.FormatNumber(r.Sequence), r.InvoiceId, InvoiceRecord.FormatNumber(r.InvoiceSequence),
            r.CustomerId, r.Name, r.ExternalId, r.Status, r.ReasonCode, r.Currency, r.Total, r.ToDue, r.Refunded, r.ToWallet, r.IssuedAt)).ToList();
        return UseCaseResult<PageOf<CreditNoteSummary>>.Ok(new PageOf<CreditNoteSummary>(items, rows.Total, rows.Page, rows.PageSize));
    }

    // Every order ends on the note's number, so equal keys still page stably.
    private static IQueryable<Row> Sorted(IQueryable<Row> query, SortField sort, bool descending)
    {
        IOrderedQueryable<Row>? ordered = sort switch
        {
            SortField.Customer => query.OrderBy(x => x.Customer.Name, descending),
            SortField.Invoice => query.OrderBy(x => x.InvoiceSequence, descending),
            SortField.Status => query.OrderBy(x => x.Note.Status, descending),
            SortField.Total => query.OrderBy(x => x.Note.Total, descending),
            SortField.IssuedAt => query.OrderBy(x => x.Note.IssuedAt, descending),
            _ => null,
        };
        return ordered?.ThenBy(x => x.Note.Sequence, descending) ?? query.OrderBy(x => x.Note.Sequence, descending);
    }

    private sealed class Row
    {
        public required CreditNoteRecord Note { get; init; }

        public required long InvoiceSequence { get; init; }

        public required Customer Customer { get; init; }
    }
}

/// <summary>One credit note by id or number ("CN-000001"), with its lines, allocation, who issued and approved it, and its void.</summary>
public sealed class GetCreditNote : UseCase<GetCreditNote.Request, CreditNoteDetails>
{
    public sealed record Request(string? IdOrNumber);

    public override AccessRule Access { get; } = new(Permission.ViewConsole, ApiScopes.BillingRead);

    public override async Task<UseCaseResult<CreditNoteDetails>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var note = await FindAsync(context, request.IdOrNumber, cancellationToken);
        if (note is null)
        {
            return UseCaseResult<CreditNoteDetails>.NotFound($"No credit note '{request.IdOrNumber}' in this project.");
        }

        var invoiceSequence = await context.Db.Invoices.AsNoTracking().Where(i => i.Id == note.InvoiceId).Select(i => i.Sequence).SingleAsync(cancellationToken);
        var customer = await context.Db.Customers.AsNoTracking().SingleAsync(c => c.Id == note.CustomerId, cancellationToken);
        var summary = new CreditNoteSummary(note.Id, note.Number, note.InvoiceId, InvoiceRecord.FormatNumber(invoiceSequence), note.CustomerId, customer.Name,
            customer.ExternalId, note.Status, note.ReasonCode, note.Currency, note.Total, note.ToDue, note.Refunded, note.ToWallet, note.IssuedAt);
        var voided = note.VoidedAt is { } at ? new CreditNoteVoid(at, note.VoidedByName ?? "", note.VoidReason ?? "") : null;
        return UseCaseResult<CreditNoteDetails>.Ok(new CreditNoteDetails(summary, customer.Email, note.Lines, note.Note, note.IssuedByName, note.ApprovedByName,
            note.RerunId, voided));
    }

    /// <summary>The project's credit note named by id or number ("CN-000001"), or null; tracked when the caller will change it.</summary>
    internal static Task<CreditNoteRecord?> FindAsync(UseCaseContext context, string? idOrNumber, CancellationToken cancellationToken, bool tracked = false)
    {
        var notes = context.Db.CreditNotes.Where(n => n.ProjectId == context.ProjectId);
        notes = tracked ? notes : notes.AsNoTracking();
        return DocumentKey.Parse(idOrNumber, "CN-") switch
        {
            (Guid id, _) => notes.FirstOrDefaultAsync(n => n.Id == id, cancellationToken),
            (_, long sequence) => notes.FirstOrDefaultAsync(n => n.Sequence == sequence, cancellationToken),
            _ => Task.FromResult<CreditNoteRecord?>(null),
        };
    }
}
