using Stripe;

namespace Neruba.Infrastructure.Payments.Reconciliation;

/// <summary>One Stripe balance transaction as reconciliation reads it (with the few fields of its charge it needs).</summary>
internal sealed record StripeTxn(string Id, string Type, string Category, string SourceId, long Amount, long Fee, long Net, string Currency,
    DateTimeOffset Created, string? PaymentIntentId, string? StripeCustomerId)
{
    public bool IsCharge => Category == "charge" || Type is "charge" or "payment";

    public bool IsDispute => SourceId.StartsWith("dp_", StringComparison.Ordinal) || Category is "dispute" or "dispute_reversal";

    public bool IsPayout => Category == "payout" || Type == "payout";

    public static StripeTxn From(BalanceTransaction txn)
    {
        var charge = txn.Source as Charge;
        return new StripeTxn(txn.Id, txn.Type ?? "", txn.ReportingCategory ?? "", txn.SourceId ?? "", txn.Amount, txn.Fee, txn.Net,
            (txn.Currency ?? "").ToUpperInvariant(), new DateTimeOffset(DateTime.SpecifyKind(txn.Created, DateTimeKind.Utc)), charge?.PaymentIntentId,
            charge?.CustomerId);
    }
}

/// <summary>
/// Which ledger entries on Stripe clearing stand for a balance transaction: by the keys the webhooks and jobs post under, plus the links of
/// Finance's reconciliation adjustments, so a difference resolved once matches from then on. The amount side carries the money (for a
/// dispute or an unknown kind the net, fee included); the fee side the charge's Stripe fee.
/// </summary>
internal sealed record TxnExpectation(StripeTxn Txn, IReadOnlyList<string> AmountKeys, string AmountLink, IReadOnlyList<string> FeeKeys, string? FeeLink)
{
    public bool ChecksFee => FeeLink is not null;

    public long StripeAmount => ChecksFee || Txn.IsPayout ? Txn.Amount : Txn.Net;

    public static TxnExpectation For(StripeTxn txn, string? checkoutSessionId)
    {
        var source = txn.SourceId;
        var link = ReconciliationLinks.Source(source);
        if (txn.IsCharge)
        {
            List<string> keys = txn.PaymentIntentId is { } pi ? [$"stripe-payment:{pi}"] : [];
            if (checkoutSessionId is not null)
            {
                keys.Add($"purchase:{checkoutSessionId}");
            }

            return new TxnExpectation(txn, keys, link, [$"stripe-fee:{source}"], ReconciliationLinks.FeeAdjustment(source));
        }

        IReadOnlyList<string> amountKeys = txn switch
        {
            { IsDispute: true } => [$"stripe-dispute-txn:{txn.Id}"],
            { IsPayout: true } => [$"stripe-payout:{source}"],
            { Category: "refund_failure" } => [$"stripe-refund-returned:{source}"],
            { Category: "refund" } or { Type: "refund" } => [$"stripe-refund:{source}"],
            _ => [],
        };
        return new TxnExpectation(txn, amountKeys, link, [], null);
    }
}

/// <summary>The links reconciliation adjustments carry, so the next run counts them on the right side.</summary>
public static class ReconciliationLinks
{
    public static string Source(string sourceId) => $"stripe-source:{sourceId}";

    public static string FeeAdjustment(string chargeId) => $"stripe-fee-adjust:{chargeId}";
}
