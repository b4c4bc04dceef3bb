using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Ledger;
using Neruba.Infrastructure.UseCases;
using Neruba.Infrastructure.UseCases.Idempotency;

namespace Neruba.Infrastructure.Billing.Corrections;

/// <summary>
/// Finance voids an invoice nothing was paid on: its entries are reversed, so the customer owes nothing on it and the prepaid credit it drew
/// goes back to the exact blocks it came from, with their original expiry. Through the API under an Idempotency-Key scoped to the invoice.
/// </summary>
public sealed class VoidInvoice : UseCase<VoidInvoice.Request, InvoiceSummaryState>, IIdempotentUseCase<VoidInvoice.Request>
{
    public sealed record Request(string? Invoice, string? Reason);

    public override AccessRule Access { get; } = new(Permission.ManageMoney, Domain.Access.ApiScopes.BillingWrite);

    public override ValidationErrors Validate(Request request) => InvoiceVoiding.ValidateReason(request.Reason);

    public async Task<IdempotencyScope?> ResolveIdempotencyScopeAsync(UseCaseContext context, Request request, CancellationToken cancellationToken) =>
        await CorrectionSupport.FindInvoiceAsync(context, request.Invoice, cancellationToken) is { } invoice
            ? new IdempotencyScope(invoice.Id.ToString(), request with { Invoice = null })
            : null;

    public override async Task<UseCaseResult<InvoiceSummaryState>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var (invoice, refusal, _) = await InvoiceVoiding.VoidAsync(context, request.Invoice, request.Reason!.Trim(), cancellationToken);
        return refusal?.As<InvoiceSummaryState>() ?? UseCaseResult<InvoiceSummaryState>.Ok(InvoiceSummaryState.Of(invoice!));
    }
}

/// <summary>The void both <see cref="VoidInvoice"/> and <see cref="VoidAndReissueInvoice"/> do, in the caller's save.</summary>
internal static class InvoiceVoiding
{
    public static ValidationErrors ValidateReason(string? reason) =>
        new ValidationErrors().Required("reason", reason, CreditNoteRecord.MaxNoteLength, "A reason", multiline: true);

    /// <summary>Voids the invoice; returns the credit each block got back (for a reissue in the same save), or why it cannot be voided.</summary>
    public static async Task<(InvoiceRecord? Invoice, UseCaseResult<bool>? Refusal, Dictionary<Guid, long> Restored)> VoidAsync(UseCaseContext context,
        string? idOrNumber, string reason, CancellationToken cancellationToken)
    {
        var restored = new Dictionary<Guid, long>();
        var invoice = await CorrectionSupport.FindInvoiceAsync(context, idOrNumber, cancellationToken);
        if (invoice is null)
        {
            return (null, UseCaseResult<bool>.NotFound($"No invoice '{idOrNumber}' in this project."), restored);
        }

        if (await RefusalAsync(context, invoice, cancellationToken) is { } refusal)
        {
            return (invoice, UseCaseResult<bool>.Conflict(refusal), restored);
        }

        var before = CorrectionSupport.AuditState(invoice);
        var link = InvoicePosting.Link(invoice.Id);
        var entries = await context.Db.JournalEntries.Include(e => e.Postings)
            .Where(e => e.ProjectId == context.ProjectId && e.Link == link && (e.Kind == EntryKind.InvoiceIssued || e.Kind == EntryKind.CreditApplied))
            .OrderBy(e => e.At).ToListAsync(cancellationToken);
        foreach (var entry in entries)
        {
            // Reversing a credit application only adds to its blocks, so no block can go below zero; the wallet's version still moves.
            context.Db.JournalEntries.Add(CreditPostings.Reverse(CorrectionSupport.Posting(context, $"void:{entry.Id}", $"{invoice.Number} voided: {reason}"), entry,
                new Dictionary<Guid, long>()));
            foreach (var posting in entry.Postings.Where(p => p.CreditBlockId is not null))
            {
                restored[posting.CreditBlockId!.Value] = restored.GetValueOrDefault(posting.CreditBlockId!.Value) + posting.Amount;
            }
        }

        if (restored.Count > 0)
        {
            (await context.Db.AccountAsync(context.ProjectId, AccountKind.CustomerWallet, invoice.Currency, invoice.CustomerId, cancellationToken)).Touch();
        }

        invoice.Status = InvoiceStatus.Void;
        invoice.VoidedAt = context.Now;
        invoice.VoidedByName = context.Actor.Name;
        invoice.VoidReason = reason;
        invoice.Settle();
        context.Audit("invoice.voided", "invoice", invoice.Number, before, new { Invoice = CorrectionSupport.AuditState(invoice), CreditsRestored = restored.Values.Sum() },
            reason);
        return (invoice, null, restored);
    }

    private static async Task<string?> RefusalAsync(UseCaseContext context, InvoiceRecord invoice, CancellationToken cancellationToken)
    {
        if (invoice.Status == InvoiceStatus.Void)
        {
            return $"{invoice.Number} is already void (by {invoice.VoidedByName}).";
        }

        if (invoice.Status == InvoiceStatus.Uncollectible)
        {
            return $"{invoice.Number} was written off as uncollectible; a written-off invoice is not voided.";
        }

        if (invoice.PaidTotal > 0)
        {
            return $"{CorrectionSupport.Show(invoice.PaidTotal, invoice.Currency)} was paid on {invoice.Number}, so it cannot be voided: issue a credit note instead.";
        }

        if (await Payments.Collection.CollectionAttempts.UnderWayRefusalAsync(context.Db, invoice, cancellationToken) is { } underWay)
        {
            return underWay;
        }

        var notes = await context.Db.CreditNotes.Where(n => n.InvoiceId == invoice.Id && n.Status == CreditNoteStatus.Issued)
            .Select(n => n.Sequence).ToListAsync(cancellationToken);
        return notes.Count > 0
            ? $"{invoice.Number} has credit notes ({string.Join(", ", notes.Select(CreditNoteRecord.FormatNumber))}); void them first, or credit the rest instead."
            : null;
    }
}
