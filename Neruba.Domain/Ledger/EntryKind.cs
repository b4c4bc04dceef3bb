namespace Neruba.Domain.Ledger;

public enum EntryKind
{
    CreditGrant = 1,
    CreditPurchase = 2,
    CreditApplied = 3,
    CreditExpiry = 4,
    Reversal = 5,
    InvoiceIssued = 10,
    CreditNote = 11,
    Payment = 12,
    DisputeHold = 13,
    DisputeRelease = 14,
    DisputeLoss = 15,
    WriteOff = 16,
    PaymentFee = 17,
    Refund = 18,
    Payout = 19,

    /// <summary>An entry Finance posted to clear a reconciliation mismatch (a missing payment, a fee difference), with its reason.</summary>
    ReconciliationAdjustment = 20,
}
