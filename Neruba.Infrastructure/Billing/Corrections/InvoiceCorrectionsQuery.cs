using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Domain.Billing;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Customers;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Billing.Corrections;

/// <summary>A credit note as the correction chain and the lists show it.</summary>
/// <summary>A credit note as an invoice's chain and a customer's timeline show it: amounts, who, why, and its void if any.</summary>
public sealed record CreditNoteEntry(Guid Id, string Number, Guid InvoiceId, string InvoiceNumber, Guid CustomerId, string CustomerName, string Currency,
    long Total, long ToDue, long Refunded, long ToWallet, string ReasonCode, string Note, CreditNoteStatus Status, DateTimeOffset IssuedAt, string IssuedByName,
    string? ApprovedByName, DateTimeOffset? VoidedAt, string? VoidedByName, string? VoidReason);

public sealed record PaymentSummary(Guid Id, PaymentMethod Method, string Currency, long Amount, DateOnly ReceivedOn, string Reference, string RecordedByName,
    DateTimeOffset RecordedAt);

/// <summary>An invoice linked to another by a correction: the one it replaces or adds to, or one that replaces or adds to it.</summary>
public sealed record LinkedInvoice(Guid Id, string Number, InvoiceKind Kind, InvoiceStatus Status, string Currency, long Subtotal, long AmountDue,
    DateTimeOffset FinalizedAt);

/// <summary>One invoice line and what earlier credit notes took of it: what is left to credit.</summary>
public sealed record CreditableLine(int Index, string Description, decimal Quantity, long Amount, decimal CreditedQuantity, long CreditedAmount)
{
    public long AmountLeft => Amount - CreditedAmount;

    public decimal QuantityLeft => Quantity - CreditedQuantity;
}

/// <summary>Where an invoice stands after its corrections, and the chain that led there.</summary>
public sealed record InvoiceCorrections(Guid Id, string Number, Guid CustomerId, InvoiceKind Kind, InvoiceStatus Status, string Currency, long Subtotal,
    long CreditsApplied, long CreditedTotal, long CreditedToDue, long PaidTotal, long RefundedTotal, long WrittenOffTotal, long AmountDue,
    DateTimeOffset FinalizedAt, DateTimeOffset? VoidedAt, string? VoidedByName, string? VoidReason, LinkedInvoice? Corrects, LinkedInvoice? ReplacedBy,
    IReadOnlyList<LinkedInvoice> Supplementals, IReadOnlyList<CreditNoteEntry> CreditNotes, IReadOnlyList<PaymentSummary> Payments,
    IReadOnlyList<CreditableLine> Lines)
{
    /// <summary>What credit notes may still take: the total minus earlier credit notes.</summary>
    public long Creditable => Subtotal - CreditedTotal;
}

/// <summary>
/// The corrections of one invoice: its running figures, credit notes, payments and the invoices it is linked to (reissue, supplemental).
/// </summary>
public sealed class GetInvoiceCorrections : UseCase<GetInvoiceCorrections.Request, InvoiceCorrections>
{
    public sealed record Request(string? Invoice);

    public override AccessRule Access { get; } = new(Permission.ViewConsole, ApiScopes.BillingRead);

    public override async Task<UseCaseResult<InvoiceCorrections>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var invoice = await InvoiceLookup.FindAsync(context.Db.Invoices.AsNoTracking(), context.ProjectId, request.Invoice, cancellationToken);
        if (invoice is null)
        {
            return UseCaseResult<InvoiceCorrections>.NotFound($"No invoice '{request.Invoice}' in this project.");
        }

        var linkedIds = new[] { invoice.CorrectsInvoiceId, invoice.ReplacedByInvoiceId }.OfType<Guid>().ToList();
        // Two seeks (by key, and by (project, corrected invoice)): one OR of both walks every invoice of the project, drafts and all.
        var invoices = context.Db.Invoices.AsNoTracking().Where(i => i.ProjectId == context.ProjectId);
        var linked = await invoices.Where(i => linkedIds.Contains(i.Id)).Concat(invoices.Where(i => i.CorrectsInvoiceId == invoice.Id))
            .Select(i => new { Link = new LinkedInvoice(i.Id, "", i.Kind, i.Status, i.Currency, i.Subtotal, i.AmountDue, i.FinalizedAt), i.Sequence, i.CorrectsInvoiceId })
            .ToListAsync(cancellationToken);
        linked = linked.DistinctBy(l => l.Link.Id).ToList();
        var links = linked.Select(l => (Link: l.Link with { Number = InvoiceRecord.FormatNumber(l.Sequence) }, l.CorrectsInvoiceId)).ToList();
        LinkedInvoice? Find(Guid? id) => id is null ? null : links.FirstOrDefault(l => l.Link.Id == id).Link;

        var notes = await CorrectionQueries.CreditNotes(context).Where(n => n.Note.InvoiceId == invoice.Id).OrderBy(n => n.Note.Sequence).ToSummariesAsync(cancellationToken);
        var payments = await context.Db.Payments.AsNoTracking().Where(p => p.InvoiceId == invoice.Id).OrderBy(p => p.RecordedAt)
            .Select(p => new PaymentSummary(p.Id, p.Method, p.Currency, p.Amount, p.ReceivedOn, p.Reference, p.RecordedByName, p.RecordedAt))
            .ToListAsync(cancellationToken);
        var credited = await CorrectionSupport.LineCreditsAsync(context.Db, invoice.Id, cancellationToken);
        var lines = invoice.Draft.Lines.Select((line, index) =>
        {
            var taken = credited.GetValueOrDefault(index, new Domain.Billing.Corrections.LineCredited(0, 0));
            return new CreditableLine(index, line.Description, line.Quantity, line.Amount, taken.Quantity, taken.Amount);
        }).ToList();

        return UseCaseResult<InvoiceCorrections>.Ok(new InvoiceCorrections(invoice.Id, invoice.Number, invoice.CustomerId, invoice.Kind, invoice.Status,
            invoice.Currency, invoice.Subtotal, invoice.CreditsApplied, invoice.CreditedTotal, invoice.CreditedToDue, invoice.PaidTotal, invoice.RefundedTotal,
            invoice.WrittenOffTotal, invoice.AmountDue, invoice.FinalizedAt, invoice.VoidedAt, invoice.VoidedByName, invoice.VoidReason,
            Find(invoice.CorrectsInvoiceId), Find(invoice.ReplacedByInvoiceId),
            links.Where(l => l.CorrectsInvoiceId == invoice.Id && l.Link.Kind == InvoiceKind.Supplemental).Select(l => l.Link).OrderBy(l => l.FinalizedAt).ToList(),
            notes, payments, lines));
    }
}

/// <summary>A voided invoice, or one issued to correct another (reissue, supplemental), with the customer and the link.</summary>
public sealed record CorrectedInvoice(LinkedInvoice Invoice, Guid CustomerId, string CustomerName, DateTimeOffset? VoidedAt, string? VoidedByName,
    string? VoidReason, Guid? CorrectsInvoiceId, Guid? ReplacedByInvoiceId);

/// <summary>Voided, reissued and supplemental invoices for the corrections area, newest number first, paged in the database.</summary>
public sealed class ListCorrectedInvoices : UseCase<ListCorrectedInvoices.Request, PageOf<CorrectedInvoice>>
{
    public sealed record Request(InvoiceStatus? Status, InvoiceKind? Kind, string? Customer, int Page, int PageSize);

    public override AccessRule Access { get; } = new(Permission.ViewConsole, ApiScopes.BillingRead);

    public override async Task<UseCaseResult<PageOf<CorrectedInvoice>>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var query = from i in context.Db.Invoices.AsNoTracking()
                    join c in context.Db.Customers.AsNoTracking() on i.CustomerId equals c.Id
                    where i.ProjectId == context.ProjectId && (i.Status == InvoiceStatus.Void || i.Kind != InvoiceKind.Regular)
                    select new { Invoice = i, c.Name };
        if (request.Status is { } status)
        {
            query = query.Where(x => x.Invoice.Status == status);
        }

        if (request.Kind is { } kind)
        {
            query = query.Where(x => x.Invoice.Kind == kind);
        }

        if (!string.IsNullOrWhiteSpace(request.Customer))
        {
            if (await CustomerRules.FindAsync(context, request.Customer, cancellationToken) is not { } customer)
            {
                return UseCaseResult<PageOf<CorrectedInvoice>>.NotFound($"No customer '{request.Customer}' in this project.");
            }

            query = query.Where(x => x.Invoice.CustomerId == customer.Id);
        }

        var rows = await query.PageAsync(q => q.OrderByDescending(x => x.Invoice.Sequence), request.Page, request.PageSize, x => new
        {
            x.Invoice.Id, x.Invoice.Sequence, x.Invoice.Kind, x.Invoice.Status, x.Invoice.Currency, x.Invoice.Subtotal, x.Invoice.AmountDue, x.Invoice.FinalizedAt,
            x.Invoice.CustomerId, x.Name, x.Invoice.VoidedAt, x.Invoice.VoidedByName, x.Invoice.VoidReason, x.Invoice.CorrectsInvoiceId, x.Invoice.ReplacedByInvoiceId,
        }, cancellationToken);
        var items = rows.Items.Select(r => new CorrectedInvoice(
            new LinkedInvoice(r.Id, InvoiceRecord.FormatNumber(r.Sequence), r.Kind, r.Status, r.Currency, r.Subtotal, r.AmountDue, r.FinalizedAt), r.CustomerId,
            r.Name, r.VoidedAt, r.VoidedByName, r.VoidReason, r.CorrectsInvoiceId, r.ReplacedByInvoiceId)).ToList();
        return UseCaseResult<PageOf<CorrectedInvoice>>.Ok(new PageOf<CorrectedInvoice>(items, rows.Total, rows.Page, rows.PageSize));
    }
}

public sealed record PendingRerunCommit(Guid Id, Guid RunId, DateTimeOffset PeriodStart, string ProposedByName, DateTimeOffset ProposedAt, string Comment,
    int Total, IReadOnlyList<RerunCommitEffect> Effect);

/// <summary>Rerun commits waiting for a second person's approval, oldest first (read-only here).</summary>
public sealed class ListPendingRerunCommits : UseCase<ListPendingRerunCommits.Request, PageOf<PendingRerunCommit>>
{
    public sealed record Request(int Page, int PageSize);

    public override AccessRule Access { get; } = new(Permission.ViewConsole);

    public override async Task<UseCaseResult<PageOf<PendingRerunCommit>>> HandleAsync(UseCaseContext context, Request request,
        CancellationToken cancellationToken) =>
        UseCaseResult<PageOf<PendingRerunCommit>>.Ok(await context.Db.RerunCommits.AsNoTracking()
            .Where(c => c.ProjectId == context.ProjectId && c.Status == RerunCommitStatus.PendingApproval)
            .PageAsync(q => q.OrderBy(c => c.ProposedAt), request.Page, request.PageSize,
                c => new PendingRerunCommit(c.Id, c.RunId, c.PeriodStart, c.ProposedByName, c.ProposedAt, c.Comment, c.Total, c.Effect), cancellationToken));
}

public enum CorrectionEventKind
{
    CreditNote = 1,
    CreditNoteVoided = 2,
    Payment = 3,
    InvoiceVoided = 4,
    Reissue = 5,
    Supplemental = 6,
    WrittenOff = 7,
}

/// <summary>One correction in a customer's timeline: what happened to which invoice, when, by whom and why.</summary>
public sealed record CorrectionEvent(DateTimeOffset At, CorrectionEventKind Kind, Guid InvoiceId, string InvoiceNumber, string? Document, Guid? DocumentId,
    string Currency, long Amount, string? By, string? Why);

/// <summary>A customer's corrections, newest first: credit notes (and their voids), payments, voided, reissued and supplemental invoices.</summary>
public sealed class GetCustomerCorrections : UseCase<GetCustomerCorrections.Request, IReadOnlyList<CorrectionEvent>>
{
    public const int Limit = 100;

    public sealed record Request(string? Customer);

    public override AccessRule Access { get; } = new(Permission.ViewConsole, ApiScopes.BillingRead);

    public override async Task<UseCaseResult<IReadOnlyList<CorrectionEvent>>> HandleAsync(UseCaseContext context, Request request,
        CancellationToken cancellationToken)
    {
        if (await CustomerRules.FindAsync(context, request.Customer, cancellationToken) is not { } customer)
        {
            return UseCaseResult<IReadOnlyList<CorrectionEvent>>.NotFound($"No customer '{request.Customer}' in this project.");
        }

        var invoices = await context.Db.Invoices.AsNoTracking()
            .Where(i => i.ProjectId == context.ProjectId && i.CustomerId == customer.Id
                && (i.Status == InvoiceStatus.Void || i.Status == InvoiceStatus.Uncollectible || i.Kind != InvoiceKind.Regular || i.PaidTotal > 0 || i.CreditedTotal > 0))
            .OrderByDescending(i => i.Sequence).Take(Limit)
            .Select(i => new { i.Id, i.Sequence, i.Kind, i.Status, i.Currency, i.Subtotal, i.WrittenOffTotal, i.FinalizedAt, i.VoidedAt, i.VoidedByName, i.VoidReason, i.CorrectsInvoiceId })
            .ToListAsync(cancellationToken);
        var numbers = invoices.ToDictionary(i => i.Id, i => InvoiceRecord.FormatNumber(i.Sequence));
        var notes = await CorrectionQueries.CreditNotes(context).Where(n => n.Note.CustomerId == customer.Id).OrderByDescending(n => n.Note.Sequence).Take(Limit)
            .ToSummariesAsync(cancellationToken);
        var payments = await context.Db.Payments.AsNoTracking().Where(p => p.ProjectId == context.ProjectId && p.CustomerId == customer.Id)
            .OrderByDescending(p => p.RecordedAt).Take(Limit).ToListAsync(cancellationToken);

        var events = new List<CorrectionEvent>();
        foreach (var i in invoices)
        {
            var number = numbers[i.Id];
            if (i.VoidedAt is { } voided)
            {
                events.Add(new(voided, CorrectionEventKind.InvoiceVoided, i.Id, number, null, null, i.Currency, i.Subtotal, i.VoidedByName, i.VoidReason));
            }

            if (i.Kind != InvoiceKind.Regular)
            {
                var corrected = i.CorrectsInvoiceId is { } id ? numbers.GetValueOrDefault(id) : null;
                events.Add(new(i.FinalizedAt, i.Kind == InvoiceKind.Reissue ? CorrectionEventKind.Reissue : CorrectionEventKind.Supplemental, i.Id, number,
                    corrected, i.CorrectsInvoiceId, i.Currency, i.Subtotal, null, null));
            }

        }

        // A write-off keeps its who, when and why on its ledger entry.
        var writtenOff = invoices.Where(i => i.Status == InvoiceStatus.Uncollectible).ToDictionary(i => InvoicePosting.Link(i.Id));
        var writeOffLinks = writtenOff.Keys.ToList();
        foreach (var entry in await context.Db.JournalEntries.AsNoTracking()
                     .Where(e => e.ProjectId == context.ProjectId && e.Kind == EntryKind.WriteOff && e.Link != null && writeOffLinks.Contains(e.Link))
                     .Select(e => new { e.Link, e.At, e.ActorName, e.Reason }).ToListAsync(cancellationToken))
        {
            var i = writtenOff[entry.Link!];
            events.Add(new(entry.At, CorrectionEventKind.WrittenOff, i.Id, numbers[i.Id], null, null, i.Currency, i.WrittenOffTotal, entry.ActorName, entry.Reason));
        }

        foreach (var n in notes)
        {
            events.Add(new(n.IssuedAt, CorrectionEventKind.CreditNote, n.InvoiceId, n.InvoiceNumber, n.Number, n.Id, n.Currency, n.Total, n.IssuedByName,
                n.Note.Length > 0 ? n.Note : null));
            if (n.VoidedAt is { } voided)
            {
                events.Add(new(voided, CorrectionEventKind.CreditNoteVoided, n.InvoiceId, n.InvoiceNumber, n.Number, n.Id, n.Currency, n.Total, n.VoidedByName,
                    n.VoidReason));
            }
        }

        var paymentInvoices = payments.Select(p => p.InvoiceId).Where(id => !numbers.ContainsKey(id)).Distinct().ToList();
        foreach (var extra in await context.Db.Invoices.AsNoTracking().Where(i => paymentInvoices.Contains(i.Id)).Select(i => new { i.Id, i.Sequence })
                     .ToListAsync(cancellationToken))
        {
            numbers[extra.Id] = InvoiceRecord.FormatNumber(extra.Sequence);
        }

        events.AddRange(payments.Select(p => new CorrectionEvent(p.RecordedAt, CorrectionEventKind.Payment, p.InvoiceId, numbers.GetValueOrDefault(p.InvoiceId, ""),
            p.Reference, null, p.Currency, p.Amount, p.RecordedByName, null)));
        return UseCaseResult<IReadOnlyList<CorrectionEvent>>.Ok(events.OrderByDescending(e => e.At).Take(Limit).ToList());
    }
}

internal static class CorrectionQueries
{
    /// <summary>The project's credit notes with their invoice's number and customer's name.</summary>
    public static IQueryable<CreditNoteRow> CreditNotes(UseCaseContext context) =>
        from n in context.Db.CreditNotes.AsNoTracking()
        join i in context.Db.Invoices.AsNoTracking() on n.InvoiceId equals i.Id
        join c in context.Db.Customers.AsNoTracking() on n.CustomerId equals c.Id
        where n.ProjectId == context.ProjectId
        select new CreditNoteRow { Note = n, InvoiceSequence = i.Sequence, CustomerName = c.Name };

    public static async Task<List<CreditNoteEntry>> ToSummariesAsync(this IQueryable<CreditNoteRow> rows, CancellationToken cancellationToken) =>
        (await rows.ToListAsync(cancellationToken)).Select(r => r.ToSummary()).ToList();

    internal sealed class CreditNoteRow
    {
        public required CreditNoteRecord Note { get; init; }

        public required long InvoiceSequence { get; init; }

        public required string CustomerName { get; init; }

        public CreditNoteEntry ToSummary() => new(Note.Id, Note.Number, Note.InvoiceId, InvoiceRecord.FormatNumber(InvoiceSequence), Note.CustomerId,
            CustomerName, Note.Currency, Note.Total, Note.ToDue, Note.Refunded, Note.ToWallet, Note.ReasonCode, Note.Note, Note.Status, Note.IssuedAt,
            Note.IssuedByName, Note.ApprovedByName, Note.VoidedAt, Note.VoidedByName, Note.VoidReason);
    }
}
