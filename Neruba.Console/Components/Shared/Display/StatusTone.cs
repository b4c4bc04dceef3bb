using MudBlazor;
using Neruba.Domain.Audit;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Billing.Corrections;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Billing.Runs;
using Neruba.Infrastructure.Metering;
using Neruba.Infrastructure.Payments;

namespace Neruba.Console.Components.Shared.Display;

/// <summary>
/// What a status means to the person reading it, one colour per meaning on every page:
/// done (green), in progress (blue), waiting for someone (amber, outlined), needs attention (amber), failed or refused (red), over or inactive (grey).
/// </summary>
public enum StatusTone
{
    Neutral,
    InProgress,
    Waiting,
    Done,
    Attention,
    Failed,
}

public static class StatusTones
{
    public static StatusTone Of(Enum status) => status switch
    {
        Infrastructure.Payments.Reconciliation.ReconciliationRunStatus.Queued => StatusTone.Waiting,
        Infrastructure.Payments.Reconciliation.ReconciliationRunStatus.Running => StatusTone.InProgress,
        Infrastructure.Payments.Reconciliation.ReconciliationRunStatus.Succeeded => StatusTone.Done,
        Infrastructure.Payments.Reconciliation.ReconciliationRunStatus.Failed => StatusTone.Failed,
        Infrastructure.Payments.Reconciliation.MismatchStatus.Open => StatusTone.Attention,
        Infrastructure.Payments.Reconciliation.MismatchStatus.Resolved or Infrastructure.Payments.Reconciliation.MismatchStatus.Reprocessed
            or Infrastructure.Payments.Reconciliation.MismatchStatus.Matched => StatusTone.Done,
        Infrastructure.Payments.Reconciliation.MismatchStatus.Explained => StatusTone.Neutral,
        BillingRunStatus.Queued => StatusTone.Waiting,
        BillingRunStatus.Running => StatusTone.InProgress,
        BillingRunStatus.Succeeded => StatusTone.Done,
        BillingRunStatus.CompletedWithFailures => StatusTone.Attention,
        BillingRunItemStatus.Pending => StatusTone.Waiting,
        BillingRunItemStatus.Done => StatusTone.Done,
        BillingRunItemStatus.Failed => StatusTone.Failed,
        BackfillStatus.Queued => StatusTone.Waiting,
        BackfillStatus.Running => StatusTone.InProgress,
        BackfillStatus.Succeeded => StatusTone.Done,
        BackfillStatus.Failed => StatusTone.Failed,
        CheckoutStatus.Open => StatusTone.Waiting,
        CheckoutStatus.AwaitingPayment => StatusTone.InProgress,
        CheckoutStatus.Paid => StatusTone.Done,
        CheckoutStatus.PaymentFailed => StatusTone.Failed,
        CheckoutStatus.Expired => StatusTone.Neutral,
        CreditGrantStatus.PendingApproval => StatusTone.Waiting,
        CreditGrantStatus.Posted or CreditGrantStatus.Approved => StatusTone.Done,
        CreditGrantStatus.Rejected => StatusTone.Failed,
        InvoiceStatus.Finalized => StatusTone.InProgress,
        InvoiceStatus.Paid => StatusTone.Done,
        InvoiceStatus.Void => StatusTone.Neutral,
        InvoiceStatus.Uncollectible => StatusTone.Failed,
        RerunCommitStatus.PendingApproval or RerunCommitStatus.Queued => StatusTone.Waiting,
        RerunCommitStatus.Running => StatusTone.InProgress,
        RerunCommitStatus.Succeeded => StatusTone.Done,
        RerunCommitStatus.CompletedWithFailures => StatusTone.Attention,
        RerunCommitStatus.Rejected => StatusTone.Failed,
        CreditNoteStatus.Issued => StatusTone.Done,
        CreditNoteStatus.Void => StatusTone.Neutral,
        CollectionStatus.Scheduled => StatusTone.Waiting,
        CollectionStatus.Requested or CollectionStatus.Processing => StatusTone.InProgress,
        CollectionStatus.Succeeded => StatusTone.Done,
        CollectionStatus.Failed => StatusTone.Failed,
        CollectionStatus.Canceled => StatusTone.Neutral,
        RefundStatus.Requested or RefundStatus.Pending => StatusTone.InProgress,
        RefundStatus.Succeeded => StatusTone.Done,
        RefundStatus.Failed => StatusTone.Failed,
        RefundStatus.Canceled => StatusTone.Neutral,
        StripeEventStatus.Received => StatusTone.Waiting,
        StripeEventStatus.Processed => StatusTone.Done,
        StripeEventStatus.Failed => StatusTone.Failed,
        StripeEventStatus.Ignored => StatusTone.Neutral,
        AuditOutcome.Succeeded => StatusTone.Done,
        AuditOutcome.Denied => StatusTone.Failed,
        _ => StatusTone.Neutral,
    };

    /// <summary>States kept as words: Hangfire's job states, a subscription's and an API key's state.</summary>
    public static StatusTone OfState(string state) => state switch
    {
        "Succeeded" or "Active" => StatusTone.Done,
        "Failed" => StatusTone.Failed,
        "Processing" => StatusTone.InProgress,
        "Enqueued" or "Scheduled" or "Awaiting" => StatusTone.Waiting,
        "Cancelling" => StatusTone.Attention,
        _ => StatusTone.Neutral,
    };

    public static Color Colour(StatusTone tone) => tone switch
    {
        StatusTone.InProgress => Color.Info,
        StatusTone.Waiting => Color.Warning,
        StatusTone.Done => Color.Success,
        StatusTone.Attention => Color.Warning,
        StatusTone.Failed => Color.Error,
        _ => Color.Default,
    };

    /// <summary>Waiting reads as an outline: nothing has happened yet. Everything else is filled.</summary>
    public static Variant Variant(StatusTone tone) => tone == StatusTone.Waiting ? MudBlazor.Variant.Outlined : MudBlazor.Variant.Filled;

    /// <summary>Alerts follow the same meanings: a request waiting for approval is a warning, never a success.</summary>
    public static Severity Severity(StatusTone tone) => tone switch
    {
        StatusTone.Done => MudBlazor.Severity.Success,
        StatusTone.Waiting or StatusTone.Attention => MudBlazor.Severity.Warning,
        StatusTone.Failed => MudBlazor.Severity.Error,
        _ => MudBlazor.Severity.Info,
    };
}
