namespace Neruba.Infrastructure.Payments.Reconciliation;

public enum ReconciliationTrigger
{
    /// <summary>The recurring job (yesterday's window, every project with Stripe configured).</summary>
    Scheduled = 1,

    /// <summary>Finance chose a window and pressed Run.</summary>
    Manual = 2,
}

public enum ReconciliationRunStatus
{
    Queued = 1,
    Running = 2,
    Succeeded = 3,
    Failed = 4,
}

/// <summary>
/// One reconciliation of a window of Stripe balance transactions against the ledger's postings on Stripe clearing. Its counters are updated as
/// pages are read, so the console can show progress live; the summary by reporting category is kept as JSON for the run page.
/// </summary>
public sealed class ReconciliationRunRecord
{
    public const int MaxErrorLength = 2000;

    public Guid Id { get; set; }
    public Guid ProjectId { get; set; }
    public DateTimeOffset WindowStart { get; set; }
    public DateTimeOffset WindowEnd { get; set; }
    public ReconciliationTrigger Trigger { get; set; }
    public ReconciliationRunStatus Status { get; set; } = ReconciliationRunStatus.Queued;
    public string RequestedByName { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public int PagesRead { get; set; }
    public int TransactionsSeen { get; set; }
    public int Matched { get; set; }

    /// <summary>Mismatches this run found that were not open yet.</summary>
    public int MismatchesOpened { get; set; }

    /// <summary>Open mismatches this run found again (not duplicated).</summary>
    public int MismatchesStillOpen { get; set; }

    /// <summary>Open mismatches in the window that now match, closed by this run.</summary>
    public int MismatchesClosed { get; set; }

    /// <summary>Payouts this run posted (clearing → bank).</summary>
    public int PayoutsPosted { get; set; }

    /// <summary>Per reporting category: count, gross, fees, net per currency (JSON), for the run page.</summary>
    public string CategorySummary { get; set; } = "[]";

    public string? Error { get; set; }
    public string? JobId { get; set; }
    public long Version { get; set; }
}

public enum MismatchKind
{
    /// <summary>Stripe moved money Neruba has no entry for (a payment made outside Neruba, a missed webhook).</summary>
    MissingInLedger = 1,

    /// <summary>The ledger has an entry on clearing Stripe has no balance transaction for.</summary>
    MissingInStripe = 2,

    AmountDiffers = 3,
    CurrencyDiffers = 4,

    /// <summary>Stripe kept a fee the ledger has not recorded (or recorded a different one).</summary>
    FeeNotRecorded = 5,

    /// <summary>The same object is in a different state on each side (paid here, refunded or disputed there).</summary>
    StatusDiffers = 6,
}

public enum MismatchStatus
{
    Open = 1,

    /// <summary>Finance posted the missing or adjusting entry.</summary>
    Resolved = 2,

    /// <summary>The Stripe object was fetched again and processed as its webhook would have been.</summary>
    Reprocessed = 3,

    /// <summary>Marked explained with a note; no money moved.</summary>
    Explained = 4,

    /// <summary>A later run found both sides agree (closed without anyone's action).</summary>
    Matched = 5,
}

/// <summary>
/// A difference between Stripe and the ledger, found by a reconciliation run. At most one is open per (kind, source) in a project: the
/// <see cref="OpenKey"/> column is unique and cleared when the mismatch closes, so a re-run over the same window never duplicates it.
/// </summary>
public sealed class ReconciliationMismatchRecord
{
    public const int MaxTextLength = 1000;

    public Guid Id { get; set; }
    public Guid ProjectId { get; set; }
    public MismatchKind Kind { get; set; }

    /// <summary>The Stripe object the difference is about: charge, refund, dispute or payout id.</summary>
    public string SourceId { get; set; } = "";

    public string? BalanceTransactionId { get; set; }
    public string ReportingCategory { get; set; } = "";
    public string Currency { get; set; } = "";
    public long? StripeAmount { get; set; }
    public long? LedgerAmount { get; set; }
    public long? StripeFee { get; set; }
    public long? LedgerFee { get; set; }

    /// <summary>When Stripe created the object (or the ledger posted it), to place it in a window.</summary>
    public DateTimeOffset OccurredAt { get; set; }

    /// <summary>What Stripe says, in words.</summary>
    public string StripeSide { get; set; } = "";

    /// <summary>What the ledger says, in words.</summary>
    public string LedgerSide { get; set; } = "";

    public string SuggestedAction { get; set; } = "";
    public MismatchStatus Status { get; set; } = MismatchStatus.Open;

    /// <summary>"{kind}:{source}" while open, null once closed; unique per project.</summary>
    public string? OpenKey { get; set; }

    public Guid FirstRunId { get; set; }
    public Guid LastRunId { get; set; }
    public DateTimeOffset FirstSeenAt { get; set; }
    public DateTimeOffset LastSeenAt { get; set; }

    /// <summary>An adjustment above the threshold waits for a second Finance member: who proposed it, and why.</summary>
    public string? ApprovalRequestedById { get; set; }

    public string? ApprovalRequestedByName { get; set; }
    public DateTimeOffset? ApprovalRequestedAt { get; set; }
    public string? ProposedReason { get; set; }

    public DateTimeOffset? ResolvedAt { get; set; }
    public string? ResolvedByName { get; set; }
    public string? ResolutionNote { get; set; }
    public Guid? EntryId { get; set; }
    public long Version { get; set; }

    public static string OpenKeyFor(MismatchKind kind, string sourceId) => $"{kind}:{sourceId}";
}
