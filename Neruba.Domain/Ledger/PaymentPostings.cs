namespace Neruba.Domain.Ledger;

/// <summary>
/// Journal entries for money that moves through the payment provider (Stripe). Each is posted only from a verified provider fact (a signed
/// webhook, or an object fetched from the provider), keyed by the provider's own id so a repeated fact posts nothing.
/// </summary>
public static class PaymentPostings
{
    /// <summary>An invoice paid through the provider: debit the provider clearing account, credit the customer's receivable.</summary>
    public static JournalEntry InvoicePaid(PostingContext context, LedgerAccount clearing, LedgerAccount receivable, long amount, string link) =>
        Pair(context, EntryKind.Payment, clearing, receivable, amount, link, "A payment is a positive amount.");

    /// <summary>The provider's fee on a charge: debit payment fees (an expense), credit clearing (the provider kept it).</summary>
    public static JournalEntry Fee(PostingContext context, LedgerAccount fees, LedgerAccount clearing, long amount, string link) =>
        Pair(context, EntryKind.PaymentFee, fees, clearing, amount, link, "A fee is a positive amount.");

    /// <summary>A refund the provider confirmed: the owed refund is settled (debit refunds pending), the money left clearing (credit).</summary>
    public static JournalEntry RefundPaid(PostingContext context, LedgerAccount refundsPending, LedgerAccount clearing, long amount, string link) =>
        Pair(context, EntryKind.Refund, refundsPending, clearing, amount, link, "A refund is a positive amount.");

    private static JournalEntry Pair(PostingContext context, EntryKind kind, LedgerAccount debit, LedgerAccount credit, long amount, string link, string refusal) =>
        debit.Currency == credit.Currency
            ? CorrectionPostings.Pair(context, kind, debit, credit, amount, link, refusal)
            : throw new LedgerException("Both sides of a payment entry are in one currency.");
}
