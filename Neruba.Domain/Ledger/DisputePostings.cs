namespace Neruba.Domain.Ledger;

/// <summary>
/// Journal entries for a disputed charge. Money moves only as the provider moves it: a withdrawal (the disputed amount and the dispute fee) goes
/// from clearing into dispute holds; a reinstatement comes back; when the dispute is lost, what is still held becomes the customer's debt again
/// (the invoice's payment is undone) and the fee an expense.
/// </summary>
public static class DisputePostings
{
    /// <summary>Funds withdrawn for a dispute (amount plus fee): debit dispute holds, credit clearing.</summary>
    public static JournalEntry Hold(PostingContext context, LedgerAccount holds, LedgerAccount clearing, long amount, Guid? customerId, string link) =>
        Pair(context, EntryKind.DisputeHold, holds, clearing, amount, customerId, link, "A dispute hold is a positive amount.");

    /// <summary>Funds reinstated (a dispute won): debit clearing, credit dispute holds.</summary>
    public static JournalEntry Release(PostingContext context, LedgerAccount clearing, LedgerAccount holds, long amount, Guid? customerId, string link) =>
        Pair(context, EntryKind.DisputeRelease, clearing, holds, amount, customerId, link, "A dispute release is a positive amount.");

    /// <summary>
    /// A dispute closed with money still held. <paramref name="toReceivable"/> is the part of the invoice payment that is undone (the customer owes it
    /// again), <paramref name="fromWallet"/> unused credit the disputed payment bought (taken back), <paramref name="toBadDebt"/> disputed money
    /// nothing can take back, <paramref name="toFees"/> the dispute fee the provider kept. Together they empty the hold.
    /// </summary>
    public static JournalEntry Close(PostingContext context, EntryKind kind, LedgerAccount holds, LedgerAccount? receivable, LedgerAccount badDebt,
        LedgerAccount fees, long toReceivable, long toBadDebt, long toFees, Guid? customerId, string link, WalletTakeBack? fromWallet = null)
    {
        var toWallet = fromWallet?.Amount ?? 0;
        if (toReceivable < 0 || toBadDebt < 0 || toFees < 0 || toWallet < 0 || toReceivable + toBadDebt + toFees + toWallet <= 0
            || (toReceivable > 0 && receivable is null))
        {
            throw new LedgerException("A dispute closes a positive held amount, with no negative part.");
        }

        if (new[] { receivable?.Currency ?? holds.Currency, badDebt.Currency, fees.Currency, fromWallet?.Wallet.Currency ?? holds.Currency }
            .Any(c => c != holds.Currency))
        {
            throw new LedgerException("Both sides of a dispute entry are in one currency.");
        }

        var currency = holds.Currency;
        var postings = new List<Posting> { new(Guid.NewGuid(), holds.Id, -checked(toReceivable + toBadDebt + toFees + toWallet), currency) };
        if (toWallet > 0)
        {
            postings.Add(new Posting(Guid.NewGuid(), fromWallet!.Wallet.Id, toWallet, currency, fromWallet.BlockId));
        }

        if (toReceivable > 0)
        {
            postings.Add(new Posting(Guid.NewGuid(), receivable!.Id, toReceivable, currency));
        }

        if (toBadDebt > 0)
        {
            postings.Add(new Posting(Guid.NewGuid(), badDebt.Id, toBadDebt, currency));
        }

        if (toFees > 0)
        {
            postings.Add(new Posting(Guid.NewGuid(), fees.Id, toFees, currency));
        }

        return JournalEntry.Create(Guid.NewGuid(), context.ProjectId, kind, context.IdempotencyKey, context.At, context.ActorKind, context.ActorId,
            context.ActorName, context.Reason, customerId, link, postings);
    }

    /// <summary>Credit a lost dispute takes back from the wallet: what is left of the block the disputed payment bought.</summary>
    public sealed record WalletTakeBack(LedgerAccount Wallet, Guid BlockId, long Amount);

    /// <summary>A payout to the project's bank account: debit bank, credit clearing (a negative payout, money pulled back, the other way).</summary>
    public static JournalEntry Payout(PostingContext context, LedgerAccount bank, LedgerAccount clearing, long amount, string link) =>
        amount >= 0
            ? Pair(context, EntryKind.Payout, bank, clearing, amount, null, link, "A payout is not zero.")
            : Pair(context, EntryKind.Payout, clearing, bank, -amount, null, link, "A payout is not zero.");

    private static JournalEntry Pair(PostingContext context, EntryKind kind, LedgerAccount debit, LedgerAccount credit, long amount, Guid? customerId,
        string link, string refusal)
    {
        if (amount <= 0)
        {
            throw new LedgerException(refusal);
        }

        if (debit.Currency != credit.Currency)
        {
            throw new LedgerException("Both sides of a dispute entry are in one currency.");
        }

        return JournalEntry.Create(Guid.NewGuid(), context.ProjectId, kind, context.IdempotencyKey, context.At, context.ActorKind, context.ActorId,
            context.ActorName, context.Reason, customerId, link,
            [new Posting(Guid.NewGuid(), debit.Id, amount, debit.Currency), new Posting(Guid.NewGuid(), credit.Id, -amount, credit.Currency)]);
    }
}
