using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Billing.Corrections;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Ledger;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Infrastructure.Payments.Collection;

/// <summary>Who recorded a Stripe payment and what Stripe calls it, for the payment record.</summary>
internal sealed record StripePaymentSource(string Reference, string? ChargeId, DateOnly ReceivedOn, string RecordedById, string RecordedByName, DateTimeOffset At);

/// <summary>
/// Money Stripe received for a customer: clearing is debited with all of it, the invoice's receivable credited with what it still owes (a
/// payment record, the invoice settled) and the rest goes to the customer's wallet as credit. Used by collection webhooks and by reconciliation
/// when Finance applies a payment made outside Neruba; with no invoice everything goes to the wallet.
/// </summary>
internal static class StripeInvoicePayment
{
    public static async Task<(JournalEntry Entry, long ToReceivable)> PostAsync(NerubaDbContext db, PostingContext posting, Guid customerId, string currency,
        InvoiceRecord? invoice, long received, string link, StripePaymentSource source, CancellationToken cancellationToken)
    {
        var toReceivable = invoice is { Status: InvoiceStatus.Finalized } ? Math.Min(received, invoice.AmountDue) : 0;
        var receivable = await db.AccountAsync(posting.ProjectId, AccountKind.CustomerReceivable, currency, customerId, cancellationToken);
        var wallet = await db.AccountAsync(posting.ProjectId, AccountKind.CustomerWallet, currency, customerId, cancellationToken);
        var clearing = await db.AccountAsync(posting.ProjectId, AccountKind.StripeClearing, currency, null, cancellationToken);
        var (entry, block) = PaymentPostings.InvoicePaid(posting, clearing, receivable, wallet, received, toReceivable, link);
        db.JournalEntries.Add(entry);
        if (block is not null)
        {
            wallet.Touch();
            db.CreditBlocks.Add(block);
        }

        if (toReceivable > 0 && invoice is not null)
        {
            db.Payments.Add(new PaymentRecord
            {
                Id = Guid.NewGuid(), ProjectId = posting.ProjectId, CustomerId = customerId, InvoiceId = invoice.Id, Method = PaymentMethod.Stripe,
                Currency = currency, Amount = toReceivable, ReceivedOn = source.ReceivedOn, Reference = source.Reference, StripeChargeId = source.ChargeId,
                RecordedById = source.RecordedById, RecordedByName = source.RecordedByName, RecordedAt = source.At, EntryId = entry.Id,
            });
            invoice.PaidTotal += toReceivable;
            invoice.Settle();
        }

        return (entry, toReceivable);
    }
}
