namespace Neruba.Domain.Ledger;

/// <summary>
/// Journal entries for money that moves through the payment provider (Stripe). Each is posted only from a verified provider fact (a signed
/// webhook, or an object fetched from the provider), keyed by the provider's own id so a repeated fact posts nothing.
/// </summary>
public static class PaymentPostings
{
    /// <summary>
    /// An invoice paid through the provider: debit the provider clearing account with what was received, credit the customer's receivable
    /// with what the invoice still owed, and the rest (it was settled another way meanwhile) to the wallet as a block that never expires.
    /// </summary>
    public static (JournalEntry Entry, CreditBlock? Block) InvoicePaid(PostingContext context, LedgerAccount clearing, LedgerAccount receivable,
        LedgerAccount wallet, long received, long toReceivable, string link)
    {
        if (received <= 0 || toReceivable < 0 || toReceivable > received)
        {
            throw new LedgerException("A payment is a positive amount, of which at most all settles the receivable.");
        }

        if (clearing.Currency != receivable.Currency || wallet.Currency != receivable.Currency)
        {
            throw new LedgerException("Both sides of a payment entry are in one currency.");
        }

        var entryId = Guid.NewGuid();
        var postings = new List<Posting> { new(Guid.NewGuid(), clearing.Id, received, clearing.Currency) };
        if (toReceivable > 0)
        {
            postings.Add(new Posting(Guid.NewGuid(), receivable.Id, -toReceivable, receivable.Currency));
        }

        CreditBlock? block = null;
        if (received > toReceivable)
        {
            block = new CreditBlock(Guid.NewGuid(), context.ProjectId, wallet.CustomerId!.Value, wallet.Id, wallet.Currency, CreditSource.Overpayment,
                received - toReceivable, null, null, context.At, entryId);
            postings.Add(new Posting(Guid.NewGuid(), wallet.Id, -(received - toReceivable), wallet.Currency, block.Id));
        }

        return (JournalEntry.Create(entryId, context.ProjectId, EntryKind.Payment, context.IdempotencyKey, context.At, context.ActorKind, context.ActorId,
            context.ActorName, context.Reason, receivable.CustomerId, link, postings), block);
    }

    /// <summary>
    /// A credit pack bought through the provider: clearing is debited with what was paid and the wallet credited with the credit bought (a new
    /// "purchase" block). A bonus (credit above the price) is a promotional expense; credit below the price is revenue kept.
    /// </summary>
    public static (JournalEntry Entry, CreditBlock Block) PackPurchase(PostingContext context, LedgerAccount clearing, LedgerAccount wallet,
        LedgerAccount promotional, LedgerAccount revenue, long price, long credit, DateTimeOffset? expiresAt, int? priority, string link)
    {
        if (price <= 0 || credit <= 0)
        {
            throw new LedgerException("A purchase has a positive price and a positive credit.");
        }

        if (new[] { clearing, promotional, revenue }.Any(a => a.Currency != wallet.Currency))
        {
            throw new LedgerException("Both sides of a payment entry are in one currency.");
        }

        var entryId = Guid.NewGuid();
        var currency = wallet.Currency;
        var block = new CreditBlock(Guid.NewGuid(), context.ProjectId, wallet.CustomerId!.Value, wallet.Id, currency, CreditSource.Purchase, credit, expiresAt,
            priority, context.At, entryId);
        var postings = new List<Posting>
        {
            new(Guid.NewGuid(), clearing.Id, price, currency),
            new(Guid.NewGuid(), wallet.Id, -credit, currency, block.Id),
        };
        if (credit > price)
        {
            postings.Add(new Posting(Guid.NewGuid(), promotional.Id, credit - price, currency));
        }
        else if (credit < price)
        {
            postings.Add(new Posting(Guid.NewGuid(), revenue.Id, -(price - credit), currency));
        }

        return (JournalEntry.Create(entryId, context.ProjectId, EntryKind.CreditPurchase, context.IdempotencyKey, context.At, context.ActorKind,
            context.ActorId, context.ActorName, context.Reason, wallet.CustomerId, link, postings), block);
    }

    /// <summary>The provider's fee on a charge: debit payment fees (an expense), credit clearing (the provider kept it).</summary>
    public static JournalEntry Fee(PostingContext context, LedgerAccount fees, LedgerAccount clearing, long amount, string link) =>
        Pair(context, EntryKind.PaymentFee, fees, clearing, amount, link, "A fee is a positive amount.");

    /// <summary>A refund the provider confirmed: the owed refund is settled (debit refunds pending), the money left clearing (credit).</summary>
    public static JournalEntry RefundPaid(PostingContext context, LedgerAccount refundsPending, LedgerAccount clearing, long amount, string link) =>
        Pair(context, EntryKind.Refund, refundsPending, clearing, amount, link, "A refund is a positive amount.");

    /// <summary>A refund Stripe reports failed after it had succeeded: the money is back in clearing and owed to the customer again.</summary>
    public static JournalEntry RefundReturned(PostingContext context, LedgerAccount clearing, LedgerAccount refundsPending, long amount, string link) =>
        Pair(context, EntryKind.Reversal, clearing, refundsPending, amount, link, "A returned refund is a positive amount.");

    /// <summary>A refund owed through the provider that Finance paid back another way (a bank transfer): refunds pending → bank receipts.</summary>
    public static JournalEntry RefundPaidOutside(PostingContext context, LedgerAccount refundsPending, LedgerAccount bankReceipts, long amount, string link) =>
        Pair(context, EntryKind.Refund, refundsPending, bankReceipts, amount, link, "A refund is a positive amount.");

    private static JournalEntry Pair(PostingContext context, EntryKind kind, LedgerAccount debit, LedgerAccount credit, long amount, string link, string refusal) =>
        debit.Currency == credit.Currency
            ? CorrectionPostings.Pair(context, kind, debit, credit, amount, link, refusal)
            : throw new LedgerException("Both sides of a payment entry are in one currency.");
}
