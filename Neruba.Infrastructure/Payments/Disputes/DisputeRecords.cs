namespace Neruba.Infrastructure.Payments.Disputes;

/// <summary>Stripe's dispute statuses. Inquiries (<c>warning_*</c>) move no money; the rest are chargebacks.</summary>
public enum DisputeStatus
{
    WarningNeedsResponse = 1,
    WarningUnderReview = 2,
    WarningClosed = 3,
    NeedsResponse = 4,
    UnderReview = 5,
    Won = 6,
    Lost = 7,
    Prevented = 8,
}

/// <summary>
/// A Stripe dispute on a charge, linked to the payment, invoice and customer behind it when Neruba knows them. Created and moved forward only by
/// verified dispute webhooks (a status never goes back: see <see cref="DisputeStates"/>); Finance stages and submits evidence and may accept it.
/// </summary>
public sealed class DisputeRecord
{
    public const int MaxEvidenceLength = 60_000;

    public Guid Id { get; set; }
    public Guid ProjectId { get; set; }
    public string StripeDisputeId { get; set; } = "";
    public string ChargeId { get; set; } = "";
    public string? PaymentIntentId { get; set; }
    public Guid? CustomerId { get; set; }
    public Guid? InvoiceId { get; set; }
    public Guid? PaymentId { get; set; }
    public string Currency { get; set; } = "";

    /// <summary>The disputed amount, minor units.</summary>
    public long Amount { get; set; }

    /// <summary>Stripe's reason code (fraudulent, product_not_received, …).</summary>
    public string Reason { get; set; } = "";

    public DisputeStatus Status { get; set; }
    public DateTimeOffset? EvidenceDueBy { get; set; }
    public bool IsChargeRefundable { get; set; }
    public DateTimeOffset StripeCreatedAt { get; set; }

    /// <summary>Money withdrawn for it so far, fees included (what dispute holds took from clearing).</summary>
    public long HeldTotal { get; set; }

    /// <summary>Money reinstated so far.</summary>
    public long ReleasedTotal { get; set; }

    /// <summary>Stripe's dispute fees among <see cref="HeldTotal"/>.</summary>
    public long FeeTotal { get; set; }

    /// <summary>The entry that emptied the hold when the dispute closed (the loss, or the fee kept after a win).</summary>
    public Guid? CloseEntryId { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }

    /// <summary>The evidence draft as JSON (Stripe's evidence field names → text), saved as Finance types.</summary>
    public string EvidenceDraft { get; set; } = "{}";

    public DateTimeOffset? DraftSavedAt { get; set; }
    public string? DraftSavedByName { get; set; }

    /// <summary>When the draft was last sent to Stripe with <c>submit=false</c>.</summary>
    public DateTimeOffset? StagedAt { get; set; }

    /// <summary>Stripe accepts one submission: set once, never cleared.</summary>
    public DateTimeOffset? SubmittedAt { get; set; }

    public string? SubmittedByName { get; set; }

    /// <summary>Accepting (closing) a dispute above the project's threshold waits for a second Finance member.</summary>
    public string? AcceptRequestedById { get; set; }

    public string? AcceptRequestedByName { get; set; }
    public DateTimeOffset? AcceptRequestedAt { get; set; }
    public string? AcceptReason { get; set; }
    public DateTimeOffset? AcceptedAt { get; set; }
    public string? AcceptedByName { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public long Version { get; set; }

    public bool IsInquiry => Status is DisputeStatus.WarningNeedsResponse or DisputeStatus.WarningUnderReview or DisputeStatus.WarningClosed;

    public bool IsClosed => DisputeStates.IsClosed(Status);

    /// <summary>Open and still waiting for evidence (the queue's "act on it" state).</summary>
    public bool NeedsResponse => Status is DisputeStatus.NeedsResponse or DisputeStatus.WarningNeedsResponse;
}

/// <summary>The order dispute statuses move in: an older or repeated webhook never takes a dispute back.</summary>
public static class DisputeStates
{
    public static bool IsClosed(DisputeStatus status) =>
        status is DisputeStatus.Won or DisputeStatus.Lost or DisputeStatus.WarningClosed or DisputeStatus.Prevented;

    /// <summary>
    /// Inquiries rank below chargebacks (an inquiry can escalate into one, keeping its id); within each, "needs response" comes before "under review";
    /// every closed status ranks last and is final.
    /// </summary>
    public static int Rank(DisputeStatus status) => status switch
    {
        DisputeStatus.WarningNeedsResponse => 1,
        DisputeStatus.WarningUnderReview => 2,
        DisputeStatus.NeedsResponse => 3,
        DisputeStatus.UnderReview => 4,
        _ => 5,
    };

    /// <summary>Whether a dispute now at <paramref name="current"/> may move to <paramref name="next"/>: forward only, and a closed dispute stays closed.</summary>
    public static bool CanMove(DisputeStatus current, DisputeStatus next) => !IsClosed(current) && Rank(next) > Rank(current);

    public static bool IsInquiryStatus(DisputeStatus status) =>
        status is DisputeStatus.WarningNeedsResponse or DisputeStatus.WarningUnderReview or DisputeStatus.WarningClosed;

    public static DisputeStatus? Parse(string? stripeStatus) => stripeStatus switch
    {
        "warning_needs_response" => DisputeStatus.WarningNeedsResponse,
        "warning_under_review" => DisputeStatus.WarningUnderReview,
        "warning_closed" => DisputeStatus.WarningClosed,
        "needs_response" => DisputeStatus.NeedsResponse,
        "under_review" => DisputeStatus.UnderReview,
        "won" => DisputeStatus.Won,
        "lost" => DisputeStatus.Lost,
        "prevented" => DisputeStatus.Prevented,
        _ => null,
    };
}

/// <summary>A file uploaded to Stripe's Files API (purpose dispute_evidence) for one evidence field of a dispute.</summary>
public sealed class DisputeFileRecord
{
    public const long MaxBytes = 5 * 1024 * 1024;

    public Guid Id { get; set; }
    public Guid ProjectId { get; set; }
    public Guid DisputeId { get; set; }

    /// <summary>Stripe's evidence field the file goes to (receipt, customer_communication, uncategorized_file, …).</summary>
    public string EvidenceField { get; set; } = "";

    public string StripeFileId { get; set; } = "";
    public string FileName { get; set; } = "";
    public string ContentType { get; set; } = "";
    public long Size { get; set; }
    public DateTimeOffset UploadedAt { get; set; }
    public string UploadedByName { get; set; } = "";
}

/// <summary>An internal note on a dispute (never sent to Stripe).</summary>
public sealed class DisputeNoteRecord
{
    public const int MaxTextLength = 2000;

    public Guid Id { get; set; }
    public Guid ProjectId { get; set; }
    public Guid DisputeId { get; set; }
    public string Text { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public string AuthorName { get; set; } = "";
}
