namespace Neruba.Domain.Ledger;

/// <summary>The accounts a correction of one customer's invoice touches, in the invoice's currency.</summary>
/// <summary>
/// The accounts a correction of one customer's invoice touches, in the invoice's currency. <see cref="RefundsPending"/> takes the part of a refund
/// that goes back through the payment provider (owed until it confirms); <see cref="BankReceipts"/> the part paid back outside it.
/// </summary>
public sealed record CorrectionAccounts(LedgerAccount Receivable, LedgerAccount Wallet, LedgerAccount SalesCredits, LedgerAccount BankReceipts,
    LedgerAccount? RefundsPending = null);

/// <summary>
/// Journal entries that correct finalized invoices: credit notes, payments received outside the payment provider and write-offs.
/// Pure, like <see cref="CreditPostings"/>: every entry balances by construction and is checked again by <see cref="JournalEntry"/>.
/// </summary>
public static class CorrectionPostings
{
    /// <summary>
    /// A credit note: revenue given back (debit sales credits) for its total; credited to what is due (receivable), refunded out of band
    /// (bank receipts) and to the wallet under a new block that never expires. Returns the block when part of it went to the wallet.
    /// </summary>
    public static (JournalEntry Entry, CreditBlock? Block) CreditNote(PostingContext context, CorrectionAccounts accounts, long toDue, long refunded,
        long toWallet, string link, long refundedThroughProvider = 0)
    {
        if (toDue < 0 || refunded < 0 || toWallet < 0 || toDue + refunded + toWallet <= 0 || refundedThroughProvider < 0 || refundedThroughProvider > refunded)
        {
            throw new LedgerException("A credit note allocates a positive total, with no negative part.");
        }

        if (refundedThroughProvider > 0 && accounts.RefundsPending is null)
        {
            throw new LedgerException("A refund through the payment provider needs the refunds-pending account.");
        }

        var currency = accounts.Receivable.Currency;
        var entryId = Guid.NewGuid();
        var postings = new List<Posting> { new(Guid.NewGuid(), accounts.SalesCredits.Id, checked(toDue + refunded + toWallet), currency) };
        if (toDue > 0)
        {
            postings.Add(new Posting(Guid.NewGuid(), accounts.Receivable.Id, -toDue, currency));
        }

        if (refunded - refundedThroughProvider > 0)
        {
            postings.Add(new Posting(Guid.NewGuid(), accounts.BankReceipts.Id, -(refunded - refundedThroughProvider), currency));
        }

        if (refundedThroughProvider > 0)
        {
            postings.Add(new Posting(Guid.NewGuid(), accounts.RefundsPending!.Id, -refundedThroughProvider, currency));
        }

        CreditBlock? block = null;
        if (toWallet > 0)
        {
            block = new CreditBlock(Guid.NewGuid(), context.ProjectId, accounts.Wallet.CustomerId!.Value, accounts.Wallet.Id, currency, CreditSource.CreditNote,
                toWallet, null, null, context.At, entryId);
            postings.Add(new Posting(Guid.NewGuid(), accounts.Wallet.Id, -toWallet, currency, block.Id));
        }

        return (JournalEntry.Create(entryId, context.ProjectId, EntryKind.CreditNote, context.IdempotencyKey, context.At, context.ActorKind, context.ActorId,
            context.ActorName, context.Reason, accounts.Receivable.CustomerId, link, postings), block);
    }

    /// <summary>Money received outside the payment provider: debit bank receipts, credit the receivable.</summary>
    public static JournalEntry Payment(PostingContext context, LedgerAccount bankReceipts, LedgerAccount receivable, long amount, string link) =>
        Pair(context, EntryKind.Payment, bankReceipts, receivable, amount, link, "A payment is a positive amount.");

    /// <summary>An uncollectible invoice: what was still due becomes bad debt (debit), the receivable is cleared (credit).</summary>
    public static JournalEntry WriteOff(PostingContext context, LedgerAccount badDebt, LedgerAccount receivable, long amount, string link) =>
        Pair(context, EntryKind.WriteOff, badDebt, receivable, amount, link, "A write-off is a positive amount.");

    /// <summary>A two-posting entry: debit one account, credit the other, the same positive amount in one currency.</summary>
    internal static JournalEntry Pair(PostingContext context, EntryKind kind, LedgerAccount debit, LedgerAccount credit, long amount, string link, string refusal)
    {
        if (amount <= 0)
        {
            throw new LedgerException(refusal);
        }

        return JournalEntry.Create(Guid.NewGuid(), context.ProjectId, kind, context.IdempotencyKey, context.At, context.ActorKind, context.ActorId,
            context.ActorName, context.Reason, credit.CustomerId, link,
            [new Posting(Guid.NewGuid(), debit.Id, amount, debit.Currency), new Posting(Guid.NewGuid(), credit.Id, -amount, credit.Currency)]);
    }
}
