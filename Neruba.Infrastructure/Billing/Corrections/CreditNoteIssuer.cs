using Neruba.Domain.Audit;
using Neruba.Domain.Billing.Corrections;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Ledger;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Infrastructure.Billing.Corrections;

/// <summary>Who issues a credit note, and who approved it when a second person had to.</summary>
internal sealed record Issuer(ActorKind Kind, string Id, string PersonId, string Name, string? ApprovedByName = null);

/// <summary>
/// Issues a credit note against an invoice in the caller's save: numbers it, posts its entry (sales credits against what is due, the refund
/// and a new wallet block) and updates the invoice's running figures. Used by Finance's credit notes and by a rerun commit.
/// </summary>
internal static class CreditNoteIssuer
{
    public static async Task<CreditNoteRecord> IssueAsync(NerubaDbContext db, InvoiceRecord invoice, IReadOnlyList<CreditNoteLine> lines, CreditAllocation allocation,
        string reasonCode, string note, Issuer issuer, DateTimeOffset now, string issueKey, Guid? rerunId, CancellationToken cancellationToken)
    {
        var creditNote = new CreditNoteRecord
        {
            Id = Guid.NewGuid(), ProjectId = invoice.ProjectId, CustomerId = invoice.CustomerId, InvoiceId = invoice.Id,
            Sequence = await CorrectionSupport.NextCreditNoteSequenceAsync(db, invoice.ProjectId, cancellationToken), IssueKey = issueKey,
            Currency = invoice.Currency, Total = allocation.Total, ToDue = allocation.ToDue, Refunded = allocation.Refunded, ToWallet = allocation.ToWallet,
            ReasonCode = reasonCode, Note = note, Lines = lines, IssuedAt = now, IssuedById = issuer.PersonId, IssuedByName = issuer.Name,
            ApprovedByName = issuer.ApprovedByName, RerunId = rerunId,
        };
        var reason = $"{creditNote.Number} for {invoice.Number}: {CreditNoteReasons.All.GetValueOrDefault(reasonCode, reasonCode)}"
            + (note.Length > 0 ? $" ({note})" : "") + (issuer.ApprovedByName is { } approver ? $"; approved by {approver}" : "");
        var context = new PostingContext(invoice.ProjectId, $"credit-note:{creditNote.Id}", now, issuer.Kind, issuer.Id, issuer.Name, reason);
        // The part of the refund that Stripe paid in goes back through Stripe (owed as refunds pending until Stripe confirms); the rest out of band.
        var stripeRefunds = await Payments.Refunds.StripeRefundPlanner.PlanAsync(db, invoice, creditNote.Id, allocation.Refunded, now, cancellationToken);
        var throughStripe = stripeRefunds.Sum(r => r.Amount);
        var accounts = await CorrectionSupport.AccountsAsync(db, invoice, cancellationToken);
        if (throughStripe > 0)
        {
            accounts = accounts with { RefundsPending = await db.AccountAsync(invoice.ProjectId, AccountKind.RefundsPending, invoice.Currency, null, cancellationToken) };
            db.StripeRefunds.AddRange(stripeRefunds);
        }

        var (entry, block) = CorrectionPostings.CreditNote(context, accounts, allocation.ToDue, allocation.Refunded, allocation.ToWallet,
            $"credit-note:{creditNote.Id}", throughStripe);
        db.JournalEntries.Add(entry);
        if (block is not null)
        {
            db.CreditBlocks.Add(block);
        }

        creditNote.EntryId = entry.Id;
        creditNote.WalletBlockId = block?.Id;
        db.CreditNotes.Add(creditNote);
        invoice.CreditedTotal += allocation.Total;
        invoice.CreditedToDue += allocation.ToDue;
        invoice.RefundedTotal += allocation.Refunded;
        invoice.Settle();
        return creditNote;
    }
}
