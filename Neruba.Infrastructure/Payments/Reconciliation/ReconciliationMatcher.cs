using System.Globalization;
using Neruba.Infrastructure.Billing.Corrections;

namespace Neruba.Infrastructure.Payments.Reconciliation;

/// <summary>A difference found for one balance transaction, with both sides in words and what Finance could do.</summary>
internal sealed record Finding(MismatchKind Kind, StripeTxn Txn, long? LedgerAmount, long? LedgerFee, string StripeSide, string LedgerSide, string SuggestedAction)
{
    public string OpenKey => ReconciliationMismatchRecord.OpenKeyFor(Kind, Txn.SourceId);
}

/// <summary>
/// Compares one balance transaction with the clearing postings that stand for it. A transaction the ledger has nothing for is one mismatch
/// (its fee is part of it); otherwise currency, amount and (for charges) the fee are compared separately.
/// </summary>
internal static class ReconciliationMatcher
{
    public const string Reprocess = "Re-fetch the object from Stripe and process it as its webhook would have been (a missed webhook).";

    public static List<Finding> Compare(TxnExpectation expected, IReadOnlyList<ClearingLine> lines, bool knownToNeruba)
    {
        var txn = expected.Txn;
        var amountLines = lines.Where(l => expected.AmountKeys.Contains(l.Key, StringComparer.Ordinal) || l.Link == expected.AmountLink).ToList();
        var feeLines = expected.ChecksFee
            ? lines.Where(l => expected.FeeKeys.Contains(l.Key, StringComparer.Ordinal) || l.Link == expected.FeeLink).ToList()
            : [];
        var stripeSide = StripeWords(txn);
        if (amountLines.Count == 0)
        {
            var (kind, action) = MissingAction(txn, knownToNeruba);
            return [new Finding(kind, txn, null, null, stripeSide, "The ledger has no entry on Stripe clearing for this.", action)];
        }

        var findings = new List<Finding>();
        var ledgerAmount = amountLines.Sum(l => l.Amount);
        var ledgerFee = -feeLines.Sum(l => l.Amount);
        var ledgerSide = LedgerWords(amountLines, ledgerAmount, expected.ChecksFee ? ledgerFee : null, txn.Currency);
        if (amountLines.Any(l => l.Currency != txn.Currency))
        {
            findings.Add(new Finding(MismatchKind.CurrencyDiffers, txn, ledgerAmount, ledgerFee, stripeSide, ledgerSide,
                "Explain it with a note: the ledger posted this in another currency than Stripe settled it."));
            return findings;
        }

        if (ledgerAmount != expected.StripeAmount)
        {
            findings.Add(new Finding(MismatchKind.AmountDiffers, txn, ledgerAmount, ledgerFee, stripeSide, ledgerSide,
                knownToNeruba ? Reprocess : "Explain it with a note after checking the object in Stripe."));
        }

        if (expected.ChecksFee && ledgerFee != txn.Fee)
        {
            findings.Add(new Finding(MismatchKind.FeeNotRecorded, txn, ledgerAmount, ledgerFee, stripeSide, ledgerSide,
                $"Post the fee difference of {Show(txn.Fee - ledgerFee, txn.Currency)} (payment fees ↔ Stripe clearing)."));
        }

        return findings;
    }

    private static (MismatchKind Kind, string Action) MissingAction(StripeTxn txn, bool knownToNeruba) => txn switch
    {
        { IsCharge: true } when !knownToNeruba => (MismatchKind.MissingInLedger,
            "A payment made outside Neruba: post it to the customer's open invoice (or their wallet when none is open)."),
        { IsCharge: true } => (MismatchKind.MissingInLedger, Reprocess),
        { IsDispute: true } => (MismatchKind.StatusDiffers, "Disputed in Stripe but not here: " + Reprocess),
        { Category: "refund" or "refund_failure" } when !knownToNeruba => (MismatchKind.StatusDiffers,
            "Refunded in Stripe (not through Neruba) while the invoice is paid here: explain it with a note, or issue a credit note."),
        _ when knownToNeruba => (MismatchKind.MissingInLedger, Reprocess),
        _ => (MismatchKind.MissingInLedger, "Explain it with a note after checking the transaction in Stripe."),
    };

    public static string StripeWords(StripeTxn txn) =>
        $"{Label(txn)} {txn.SourceId}: {Show(txn.Amount, txn.Currency)}, fee {Show(txn.Fee, txn.Currency)}, net {Show(txn.Net, txn.Currency)} "
        + $"(balance transaction {txn.Id}, {txn.Created.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC"
        + (txn.StripeCustomerId is { } customer ? $", customer {customer})." : ").");

    private static string LedgerWords(List<ClearingLine> lines, long amount, long? fee, string currency) =>
        $"On Stripe clearing: {Show(amount, lines[0].Currency)} ({string.Join(", ", lines.Select(l => l.Key).Distinct(StringComparer.Ordinal))})"
        + (fee is { } f ? $", fee recorded {Show(f, currency)}." : ".");

    private static string Label(StripeTxn txn) => txn switch
    {
        { IsCharge: true } => "Charge",
        { IsDispute: true } => "Dispute",
        { IsPayout: true } => "Payout",
        { Category: "refund" } => "Refund",
        _ => $"Transaction ({txn.Category})",
    };

    public static string Show(long minor, string currency)
    {
        try
        {
            return CorrectionSupport.Show(minor, currency);
        }
        catch (ArgumentException)
        {
            return $"{minor.ToString(CultureInfo.InvariantCulture)} {currency} (minor units)";
        }
    }
}
