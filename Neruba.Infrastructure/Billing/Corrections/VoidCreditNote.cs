using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Ledger;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Billing.Corrections;

/// <summary>
/// Finance voids a credit note issued by mistake: a reversing entry puts back what it took off the invoice and takes back its wallet credit.
/// Refused once any of that credit was used, or when part of it was refunded (money paid out cannot be voided).
/// </summary>
public sealed class VoidCreditNote : UseCase<VoidCreditNote.Request, InvoiceSummaryState>
{
    public sealed record Request(string? CreditNote, string? Reason);

    public override AccessRule Access { get; } = new(Permission.ManageMoney);

    public override ValidationErrors Validate(Request request) =>
        new ValidationErrors().Required("reason", request.Reason, CreditNoteRecord.MaxNoteLength, "A reason", multiline: true);

    public override async Task<UseCaseResult<InvoiceSummaryState>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var note = await GetCreditNote.FindAsync(context, request.CreditNote, cancellationToken, tracked: true);
        if (note is null)
        {
            return UseCaseResult<InvoiceSummaryState>.NotFound($"No credit note '{request.CreditNote}' in this project.");
        }

        if (note.Status == CreditNoteStatus.Void)
        {
            return UseCaseResult<InvoiceSummaryState>.Conflict($"{note.Number} is already void (by {note.VoidedByName}).");
        }

        if (note.Refunded > 0)
        {
            return UseCaseResult<InvoiceSummaryState>.Conflict(
                $"{note.Number} refunded {CorrectionSupport.Show(note.Refunded, note.Currency)} to the customer; money paid out cannot be voided.");
        }

        var entry = await context.Db.JournalEntries.Include(e => e.Postings).SingleAsync(e => e.Id == note.EntryId, cancellationToken);
        var remaining = new Dictionary<Guid, long>();
        if (note.WalletBlockId is { } blockId)
        {
            var wallet = await context.Db.AccountAsync(context.ProjectId, AccountKind.CustomerWallet, note.Currency, note.CustomerId, cancellationToken);
            var block = (await context.Db.BlockBalancesAsync(wallet.Id, cancellationToken)).Single(b => b.BlockId == blockId);
            if (block.Remaining != note.ToWallet)
            {
                return UseCaseResult<InvoiceSummaryState>.Conflict(
                    $"{CorrectionSupport.Show(note.ToWallet - block.Remaining, note.Currency)} of the wallet credit from {note.Number} has been used, so it can no longer be voided.");
            }

            remaining[blockId] = block.Remaining;
            wallet.Touch();
        }

        var invoice = await context.Db.Invoices.SingleAsync(i => i.Id == note.InvoiceId, cancellationToken);
        if (invoice.Status == InvoiceStatus.Uncollectible && note.ToDue > 0)
        {
            return UseCaseResult<InvoiceSummaryState>.Conflict($"{invoice.Number} was written off since {note.Number} was issued; voiding the note would "
                + "make the customer owe on an invoice nothing can settle any more.");
        }

        var before = CorrectionSupport.AuditState(invoice);
        var reason = request.Reason!.Trim();
        context.Db.JournalEntries.Add(CreditPostings.Reverse(CorrectionSupport.Posting(context, $"void:{entry.Id}", $"{note.Number} voided: {reason}"), entry, remaining));
        note.Status = CreditNoteStatus.Void;
        note.VoidedAt = context.Now;
        note.VoidedByName = context.Actor.Name;
        note.VoidReason = reason;
        note.Version++;
        invoice.CreditedTotal -= note.Total;
        invoice.CreditedToDue -= note.ToDue;
        invoice.Settle();
        context.Audit("credit_note.voided", "invoice", invoice.Number, before, new { CreditNote = note.Number, Invoice = CorrectionSupport.AuditState(invoice) }, reason);
        return UseCaseResult<InvoiceSummaryState>.Ok(InvoiceSummaryState.Of(invoice));
    }
}
