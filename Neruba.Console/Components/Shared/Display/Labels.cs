using System.Text;
using Neruba.Domain.Access;
using Neruba.Domain.Audit;
using Neruba.Domain.Billing;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Billing.Corrections;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Billing.Runs;
using Neruba.Infrastructure.Metering;
using Neruba.Infrastructure.Payments;

namespace Neruba.Console.Components.Shared.Display;

/// <summary>
/// Words for every value the console shows that the code keeps as an enum or a code: "Support grant", not "SupportGrant";
/// "Service outage", not "service_outage". Values without a written label fall back to a humanized name, never the raw identifier.
/// </summary>
public static class Labels
{
    public static string Of(Enum value) => value switch
    {
        Infrastructure.Payments.Reconciliation.MismatchKind.MissingInLedger => "In Stripe, not in the ledger",
        Infrastructure.Payments.Reconciliation.MismatchKind.MissingInStripe => "In the ledger, not in Stripe",
        Infrastructure.Payments.Reconciliation.MismatchKind.AmountDiffers => "Amount differs",
        Infrastructure.Payments.Reconciliation.MismatchKind.CurrencyDiffers => "Currency differs",
        Infrastructure.Payments.Reconciliation.MismatchKind.FeeNotRecorded => "Fee not recorded",
        Infrastructure.Payments.Reconciliation.MismatchKind.StatusDiffers => "Status differs",
        Infrastructure.Payments.Reconciliation.MismatchStatus.Reprocessed => "Re-processed",
        Infrastructure.Payments.Reconciliation.MismatchStatus.Matched => "Matched by a later run",
        CreditSource.PlanAllowance => "Plan credit",
        CreditSource.Promotional => "Promotional credit",
        CreditSource.SupportGrant => "Support grant",
        CreditSource.Purchase => "Credit pack purchase",
        CreditSource.CreditNote => "Credit note",
        CreditSource.Overpayment => "Overpayment",
        CollectionStatus.Scheduled => "Retry scheduled",
        CollectionStatus.Requested => "Requested",
        CollectionStatus.Processing => "Processing at Stripe",
        CollectionStatus.Succeeded => "Paid",
        CollectionStatus.Failed => "Failed",
        CollectionStatus.Canceled => "Canceled",
        CollectionTrigger.Automatic => "Automatic",
        CollectionTrigger.Manual => "Collect now",
        CollectionTrigger.Retry => "Scheduled retry",
        RefundStatus.Requested => "Requested",
        RefundStatus.Pending => "Pending at Stripe",
        RefundStatus.Succeeded => "Refunded",
        RefundStatus.Failed => "Failed",
        RefundStatus.Canceled => "Closed outside Stripe",
        StripeEventStatus.Received => "Received",
        StripeEventStatus.Processed => "Processed",
        StripeEventStatus.Failed => "Failed",
        StripeEventStatus.Ignored => "Ignored",
        CheckoutStatus.Open => "Open",
        CheckoutStatus.AwaitingPayment => "Awaiting payment",
        CheckoutStatus.Paid => "Paid",
        CheckoutStatus.PaymentFailed => "Payment failed",
        CheckoutStatus.Expired => "Expired",
        AccountKind.SalesCredits => "Sales credits",
        AccountKind.BankReceipts => "Bank receipts",
        AccountKind.BadDebt => "Bad debt",
        AccountKind.RefundsPending => "Refunds owed through Stripe",
        AccountKind.PaymentFees => "Payment fees",
        AccountKind.DisputeHolds => "Dispute holds",
        AccountKind.Bank => "Bank (Stripe payouts)",
        PaymentMethod.BankTransfer => "Bank transfer",
        PaymentMethod.Stripe => "Stripe",
        CorrectionEventKind.CreditNote => "Credit note issued",
        CorrectionEventKind.CreditNoteVoided => "Credit note voided",
        CorrectionEventKind.Payment => "Payment received",
        CorrectionEventKind.InvoiceVoided => "Invoice voided",
        CorrectionEventKind.Reissue => "Reissued",
        CorrectionEventKind.Supplemental => "Supplemental invoice",
        CorrectionEventKind.WrittenOff => "Written off",
        EntryKind.CreditGrant => "Credit granted",
        EntryKind.CreditPurchase => "Credit purchased",
        EntryKind.CreditApplied => "Credit used on invoice",
        EntryKind.CreditExpiry => "Credit expired",
        EntryKind.Reversal => "Reversal",
        EntryKind.InvoiceIssued => "Invoice issued",
        EntryKind.CreditNote => "Credit note",
        EntryKind.Payment => "Payment received",
        EntryKind.DisputeHold => "Dispute hold",
        EntryKind.DisputeRelease => "Dispute released",
        EntryKind.DisputeLoss => "Dispute lost",
        EntryKind.WriteOff => "Write-off",
        EntryKind.PaymentFee => "Stripe fee",
        EntryKind.Refund => "Refund paid through Stripe",
        EntryKind.Payout => "Stripe payout",
        EntryKind.ReconciliationAdjustment => "Reconciliation adjustment",
        CreditGrantStatus.Posted => "Posted",
        CreditGrantStatus.PendingApproval => "Waiting for approval",
        CreditGrantStatus.Approved => "Approved",
        CreditGrantStatus.Rejected => "Rejected",
        BillingRunStatus.CompletedWithFailures => "Finished with failures",
        BillingRunKind.DryRun => "Dry run",
        BillingRunKind.Rerun => "Rerun preview",
        BillingRunKind.Manual => "Final run",
        BillingRunKind.Scheduled => "Scheduled final run",
        BillingRunItemStatus.Pending => "Waiting",
        InvoiceStatus.Uncollectible => "Uncollectible",
        InvoiceKind.Regular => "Invoice",
        InvoiceKind.Reissue => "Reissued invoice",
        InvoiceKind.Supplemental => "Supplemental invoice",
        CreditNoteStatus.Issued => "Issued",
        CreditNoteStatus.Void => "Void",
        ActorKind.ApiKey => "API key",
        AuditOutcome.Denied => "Denied",
        InvoiceLineKind.BaseFee => "Base fee",
        InvoiceLineKind.BaseFeeAdjustment => "Base fee adjustment",
        InvoiceLineKind.MinimumCommitment => "Minimum commitment",
        InvoiceLineKind.EarlierCredit => "Already credited",
        RerunCommitStatus.PendingApproval => "Waiting for approval",
        RerunCommitStatus.Queued => "Queued",
        RerunCommitStatus.Running => "Issuing corrections",
        RerunCommitStatus.Succeeded => "Committed",
        RerunCommitStatus.CompletedWithFailures => "Committed with failures",
        RerunCommitStatus.Rejected => "Rejected",
        FeeTiming.InAdvance => "In advance",
        FeeTiming.InArrears => "In arrears",
        ChargeModel.PerUnit => "Per unit",
        ChargeModel.Graduated => "Graduated tiers",
        ChargeModel.Volume => "Volume tiers",
        _ => Humanize(value.ToString()),
    };

    /// <summary>A credit reason code ("service_outage") in words, as the grant form offers it.</summary>
    public static string CreditReason(string? code) =>
        code is null ? "–" : CreditReasonCodes.All.TryGetValue(code, out var label) ? label : Humanize(code);

    /// <summary>The credit note reason codes in words, in the order the form offers them (the rules' own list).</summary>
    public static IReadOnlyDictionary<string, string> CreditNoteReasons => Infrastructure.Billing.Corrections.CreditNoteReasons.All;

    /// <summary>A credit note's reason code ("billing_error") in words.</summary>
    public static string CreditNoteReason(string? code) =>
        string.IsNullOrEmpty(code) ? "–" : CreditNoteReasons.TryGetValue(code, out var label) ? label : Humanize(code);

    /// <summary>
    /// Why Stripe refused, in words: Stripe's own message when it sent one, else the failure code in words ("card_declined" → "The card was declined.").
    /// </summary>
    public static string StripeFailure(string? code, string? message) =>
        !string.IsNullOrWhiteSpace(message) ? message
        : string.IsNullOrWhiteSpace(code) ? "–"
        : code switch
        {
            "card_declined" => "The card was declined.",
            "insufficient_funds" => "The card has insufficient funds.",
            "expired_card" => "The card has expired.",
            "incorrect_cvc" => "The card's security code is incorrect.",
            "processing_error" => "Stripe could not process the card; trying again may work.",
            "authentication_required" => "The customer's bank asks the customer to authenticate the payment.",
            "rate_limit" => "Stripe asked Neruba to slow down (rate limited); it is tried again.",
            _ => Humanize(code) + ".",
        };

    /// <summary>"SupportGrant" → "Support grant", "service_outage" → "Service outage".</summary>
    public static string Humanize(string identifier)
    {
        var words = new StringBuilder(identifier.Length + 8);
        for (var i = 0; i < identifier.Length; i++)
        {
            var c = identifier[i];
            if (c is '_' or '-' or '.')
            {
                words.Append(' ');
                continue;
            }

            if (char.IsUpper(c) && i > 0 && (char.IsLower(identifier[i - 1]) || (i + 1 < identifier.Length && char.IsLower(identifier[i + 1]) && char.IsUpper(identifier[i - 1]))))
            {
                words.Append(' ');
            }

            words.Append(words.Length == 0 ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c));
        }

        return words.ToString();
    }
}
