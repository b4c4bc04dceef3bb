namespace Neruba.Domain.Ledger;

/// <summary>Entries Finance posts to clear a reconciliation mismatch.</summary>
public static class ReconciliationPostings
{
    /// <summary>
    /// The provider kept a different fee than the ledger recorded: a positive <paramref name="difference"/> (more was kept) debits payment fees and
    /// credits clearing; a negative one (less was kept) goes the other way.
    /// </summary>
    public static JournalEntry FeeDifference(PostingContext context, LedgerAccount fees, LedgerAccount clearing, long difference, string link)
    {
        if (fees.Currency != clearing.Currency)
        {
            throw new LedgerException("Both sides of a fee adjustment are in one currency.");
        }

        return difference >= 0
            ? CorrectionPostings.Pair(context, EntryKind.ReconciliationAdjustment, fees, clearing, difference, link, "A fee difference is not zero.")
            : CorrectionPostings.Pair(context, EntryKind.ReconciliationAdjustment, clearing, fees, -difference, link, "A fee difference is not zero.");
    }
}
