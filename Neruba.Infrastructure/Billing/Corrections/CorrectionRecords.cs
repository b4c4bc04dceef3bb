namespace Neruba.Infrastructure.Billing.Corrections;

public enum CreditNoteStatus
{
    Issued = 1,
    Void = 2,
}

/// <summary>
/// One line of a credit note: what it credits and why. <see cref="LineIndex"/> names the invoice line it credits (0-based), none for a flat
/// amount or a rerun's explained difference; <see cref="Quantity"/> is set when the line was credited by quantity.
/// </summary>
public sealed record CreditNoteLine(int? LineIndex, string Description, decimal? Quantity, long Amount, string Explanation);

/// <summary>
/// A credit note against a finalized invoice: numbered per project, its lines and allocation fixed once issued. It can be voided
/// (by a reversing entry) while none of the credit it put in the wallet has been used and nothing of it was refunded.
/// </summary>
public sealed class CreditNoteRecord
{
    public const int MaxNoteLength = 1000;

    public Guid Id { get; set; }
    public Guid ProjectId { get; set; }
    public Guid CustomerId { get; set; }
    public Guid InvoiceId { get; set; }
    public long Sequence { get; set; }

    /// <summary>Unique per project: a retried request or a resumed rerun commit finds the note it already issued.</summary>
    public string IssueKey { get; set; } = "";

    public string Currency { get; set; } = "";
    public long Total { get; set; }
    public long ToDue { get; set; }
    public long Refunded { get; set; }
    public long ToWallet { get; set; }
    public string ReasonCode { get; set; } = "";
    public string Note { get; set; } = "";
    public IReadOnlyList<CreditNoteLine> Lines { get; set; } = [];
    public CreditNoteStatus Status { get; set; } = CreditNoteStatus.Issued;
    public DateTimeOffset IssuedAt { get; set; }
    public string IssuedById { get; set; } = "";
    public string IssuedByName { get; set; } = "";

    /// <summary>The second person, when a rerun commit above the threshold was approved.</summary>
    public string? ApprovedByName { get; set; }

    public Guid EntryId { get; set; }
    public Guid? WalletBlockId { get; set; }

    /// <summary>The rerun whose commit issued this note.</summary>
    public Guid? RerunId { get; set; }

    public DateTimeOffset? VoidedAt { get; set; }
    public string? VoidedByName { get; set; }
    public string? VoidReason { get; set; }
    public long Version { get; set; }

    public string Number => FormatNumber(Sequence);

    public static string FormatNumber(long sequence) => $"CN-{sequence:D6}";
}

public enum PaymentMethod
{
    /// <summary>Recorded by Finance: a bank transfer, cheque or cash received outside Neruba.</summary>
    BankTransfer = 1,

    /// <summary>Collected through a Stripe PaymentIntent; posted from its verified <c>payment_intent.succeeded</c> webhook.</summary>
    Stripe = 2,
}

/// <summary>A payment received against an invoice. A fact: never changed (a mistaken one is corrected by a credit note's refund part).</summary>
public sealed class PaymentRecord
{
    public const int MaxReferenceLength = 200;

    public Guid Id { get; set; }
    public Guid ProjectId { get; set; }
    public Guid CustomerId { get; set; }
    public Guid InvoiceId { get; set; }
    public PaymentMethod Method { get; set; }
    public string Currency { get; set; } = "";
    public long Amount { get; set; }
    public DateOnly ReceivedOn { get; set; }

    /// <summary>The bank's reference (the PaymentIntent id for Stripe); unique per invoice, so the same payment cannot be recorded twice.</summary>
    public string Reference { get; set; } = "";

    /// <summary>The Stripe charge behind a Stripe payment: refunds and disputes name it.</summary>
    public string? StripeChargeId { get; set; }

    public string RecordedById { get; set; } = "";
    public string RecordedByName { get; set; } = "";
    public DateTimeOffset RecordedAt { get; set; }
    public Guid EntryId { get; set; }
}

public enum RerunCommitStatus
{
    /// <summary>Proposed above the project's threshold: waits for a Finance member other than the proposer.</summary>
    PendingApproval = 1,
    Rejected = 2,
    Queued = 3,
    Running = 4,
    Succeeded = 5,

    /// <summary>Finished, but some customers failed; running it again retries only them.</summary>
    CompletedWithFailures = 6,
}

/// <summary>What a rerun commit does in one currency: credit notes for decreases, supplemental invoices for increases.</summary>
public sealed record RerunCommitEffect(string Currency, int CreditNotes, long CreditTotal, int Supplementals, long SupplementalTotal);

/// <summary>
/// An Operator's proposal to turn a rerun's differences into corrections, its approval, and the job that issues them. One per rerun
/// (unique), so two people cannot commit the same rerun twice.
/// </summary>
public sealed class RerunCommitRecord
{
    public const int MaxCommentLength = 1000;

    public Guid Id { get; set; }
    public Guid ProjectId { get; set; }
    public Guid RunId { get; set; }
    public DateTimeOffset PeriodStart { get; set; }
    public RerunCommitStatus Status { get; set; }
    public string ProposedById { get; set; } = "";
    public string ProposedByName { get; set; } = "";
    public DateTimeOffset ProposedAt { get; set; }
    public string Comment { get; set; } = "";
    public bool NeedsApproval { get; set; }
    public string? DecidedById { get; set; }
    public string? DecidedByName { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public string? DecisionComment { get; set; }

    /// <summary>Changed subscriptions to correct, fixed at the proposal.</summary>
    public int Total { get; set; }

    public IReadOnlyList<RerunCommitEffect> Effect { get; set; } = [];
    public string? JobId { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public long Version { get; set; }
}

public enum RerunCommitItemStatus
{
    Pending = 1,
    Done = 2,
    Failed = 3,
}

/// <summary>
/// One changed subscription of a rerun commit: the difference fixed at the proposal and what the job issued for it. Marked done in the
/// same transaction as its documents, so a retried or resumed job issues nothing twice.
/// </summary>
public sealed class RerunCommitItemRecord
{
    public const int MaxErrorLength = 2000;

    public Guid Id { get; set; }
    public Guid CommitId { get; set; }
    public Guid SubscriptionId { get; set; }
    public Guid CustomerId { get; set; }
    public int Position { get; set; }
    public string Currency { get; set; } = "";

    /// <summary>Recomputed charges − charges billed so far (net of earlier corrections), in minor units.</summary>
    public long Difference { get; set; }

    public RerunCommitItemStatus Status { get; set; } = RerunCommitItemStatus.Pending;
    public string? Error { get; set; }
    public Guid? SupplementalInvoiceId { get; set; }
    public int CreditNotes { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
}
