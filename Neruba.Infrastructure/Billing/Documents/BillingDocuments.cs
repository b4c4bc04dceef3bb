using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Infrastructure.Billing.Corrections;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Billing.Documents;

public enum DocumentKind
{
    Invoice = 1,
    CreditNote = 2,
}

/// <summary>How a document relates to an earlier invoice, printed under its number.</summary>
public enum DocumentRelation
{
    None = 0,
    SupplementOf = 1,
    Replaces = 2,
    Credits = 3,
}

public sealed record DocumentParty(string Name, string Address, string Email, string Reference);

/// <summary>A printed line: a credit note's line has a quantity and unit price only when it credited an invoice line by quantity.</summary>
public sealed record DocumentLine(string Description, decimal? Quantity, decimal? UnitPrice, long Amount);

/// <summary>An invoice's figures as the customer reads them: what was billed and what has happened since.</summary>
public sealed record InvoiceFigures(long Subtotal, long CreditsApplied, long CreditNotes, long Payments, long WrittenOff, long AmountDue);

/// <summary>Where a credit note's total went.</summary>
public sealed record CreditNoteFigures(long Total, long ToDue, long Refunded, long ToWallet);

/// <summary>
/// Everything printed on an invoice or a credit note, read once so the PDF and the print page show the same thing. Issue and period instants
/// are kept as instants; the printer writes them in <see cref="TimeZone"/> (the project's).
/// </summary>
public sealed record BillingDocument(DocumentKind Kind, Guid Id, string Number, DocumentParty Seller, DocumentParty Customer, string Currency, string TimeZone,
    DateTimeOffset IssuedAt, DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd, IReadOnlyList<DocumentLine> Lines, bool IsVoid,
    DocumentRelation Relation, string? RelatedNumber, InvoiceFigures? Invoice, CreditNoteFigures? CreditNote);

/// <summary>An invoice or a credit note of the project as the customer receives it.</summary>
public sealed class GetBillingDocument : UseCase<GetBillingDocument.Request, BillingDocument>
{
    public sealed record Request(DocumentKind Kind, string? IdOrNumber);

    public override AccessRule Access { get; } = new(Permission.ViewConsole);

    public override async Task<UseCaseResult<BillingDocument>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var document = request.Kind == DocumentKind.CreditNote
            ? await CreditNoteAsync(context, request.IdOrNumber, cancellationToken)
            : await InvoiceAsync(context, request.IdOrNumber, cancellationToken);
        return document is null
            ? UseCaseResult<BillingDocument>.NotFound($"No {(request.Kind == DocumentKind.CreditNote ? "credit note" : "invoice")} '{request.IdOrNumber}' in this project.")
            : UseCaseResult<BillingDocument>.Ok(document);
    }

    private static async Task<BillingDocument?> InvoiceAsync(UseCaseContext context, string? idOrNumber, CancellationToken cancellationToken)
    {
        if (await InvoiceLookup.FindAsync(context.Db.Invoices.AsNoTracking(), context.ProjectId, idOrNumber, cancellationToken) is not { } invoice)
        {
            return null;
        }

        var (seller, zone) = await DocumentParties.SellerAsync(context, cancellationToken);
        var customer = await DocumentParties.CustomerAsync(context, invoice.CustomerId, cancellationToken);
        var relation = invoice.Kind switch
        {
            InvoiceKind.Supplemental => DocumentRelation.SupplementOf,
            InvoiceKind.Reissue => DocumentRelation.Replaces,
            _ => DocumentRelation.None,
        };
        var related = relation == DocumentRelation.None || invoice.CorrectsInvoiceId is not { } correctsId
            ? null
            : await context.Db.Invoices.AsNoTracking().Where(i => i.Id == correctsId).Select(i => (long?)i.Sequence).SingleOrDefaultAsync(cancellationToken);
        var lines = invoice.Draft.Lines.Select(l => new DocumentLine(l.Description, l.Quantity, l.UnitPrice, l.Amount)).ToList();
        var figures = new InvoiceFigures(invoice.Subtotal, invoice.CreditsApplied, invoice.CreditedToDue, invoice.PaidTotal, invoice.WrittenOffTotal, invoice.AmountDue);
        return new BillingDocument(DocumentKind.Invoice, invoice.Id, invoice.Number, seller, customer, invoice.Currency, zone, invoice.FinalizedAt,
            invoice.PeriodStart, invoice.PeriodEnd, lines, invoice.Status == InvoiceStatus.Void, related is null ? DocumentRelation.None : relation,
            related is { } number ? InvoiceRecord.FormatNumber(number) : null, figures, null);
    }

    private static async Task<BillingDocument?> CreditNoteAsync(UseCaseContext context, string? idOrNumber, CancellationToken cancellationToken)
    {
        if (await GetCreditNote.FindAsync(context, idOrNumber, cancellationToken) is not { } note)
        {
            return null;
        }

        var (seller, zone) = await DocumentParties.SellerAsync(context, cancellationToken);
        var customer = await DocumentParties.CustomerAsync(context, note.CustomerId, cancellationToken);
        var invoice = await context.Db.Invoices.AsNoTracking().SingleAsync(i => i.Id == note.InvoiceId, cancellationToken);
        // A line credited by quantity prints the invoice line's unit price, so quantity × price reads as on the invoice.
        var lines = note.Lines.Select(l => new DocumentLine(l.Description, l.Quantity,
            l.Quantity is not null && l.LineIndex is { } index && index >= 0 && index < invoice.Draft.Lines.Count ? invoice.Draft.Lines[index].UnitPrice : null,
            l.Amount)).ToList();
        return new BillingDocument(DocumentKind.CreditNote, note.Id, note.Number, seller, customer, note.Currency, zone, note.IssuedAt, invoice.PeriodStart,
            invoice.PeriodEnd, lines, note.Status == CreditNoteStatus.Void, DocumentRelation.Credits, invoice.Number, null,
            new CreditNoteFigures(note.Total, note.ToDue, note.Refunded, note.ToWallet));
    }
}

internal static class DocumentParties
{
    /// <summary>The project's seller block (its name when none is set) and its time zone.</summary>
    public static async Task<(DocumentParty Seller, string TimeZone)> SellerAsync(UseCaseContext context, CancellationToken cancellationToken)
    {
        var project = await context.Db.Projects.AsNoTracking().SingleAsync(p => p.Id == context.ProjectId, cancellationToken);
        var name = string.IsNullOrWhiteSpace(project.SellerName) ? project.Name : project.SellerName;
        return (new DocumentParty(name, project.SellerAddress, project.SellerEmail, project.SellerTaxId), project.TimeZone);
    }

    public static async Task<DocumentParty> CustomerAsync(UseCaseContext context, Guid customerId, CancellationToken cancellationToken)
    {
        var customer = await context.Db.Customers.AsNoTracking().SingleAsync(c => c.Id == customerId, cancellationToken);
        return new DocumentParty(customer.Name, "", customer.Email ?? "", customer.ExternalId);
    }
}
