namespace Neruba.Infrastructure.Billing.Runs;

public enum BillingRunKind
{
    /// <summary>Started by the schedule at period end plus grace.</summary>
    Scheduled = 1,

    /// <summary>Started by an Operator.</summary>
    Manual = 2,

    /// <summary>Computes drafts and finalizes nothing.</summary>
    DryRun = 3,

    /// <summary>Recomputes a finalized period for a side-by-side preview; finalizes nothing.</summary>
    Rerun = 4,
}

public enum BillingRunStatus
{
    Queued = 1,
    Running = 2,
    Succeeded = 3,

    /// <summary>Finished, but some customers failed; they can be retried.</summary>
    CompletedWithFailures = 4,
}

public enum BillingRunItemStatus
{
    Pending = 1,
    Done = 2,
    Failed = 3,
}

/// <summary>
/// A billing run over a period (calendar month, UTC) and a scope: the whole project or one customer.
/// <see cref="ActiveKey"/> is set while the run is queued or running and unique in the database, so two
/// runs for the same project, period and scope cannot be active at once.
/// </summary>
public sealed class BillingRunRecord
{
    public const int MaxErrorLength = 2000;

    public Guid Id { get; set; }
    public Guid ProjectId { get; set; }
    public DateTimeOffset PeriodStart { get; set; }

    /// <summary>The one customer in scope; none: every subscription of the project.</summary>
    public Guid? CustomerId { get; set; }

    public BillingRunKind Kind { get; set; }
    public BillingRunStatus Status { get; set; }
    public string? ActiveKey { get; set; }
    public string TriggeredBy { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>
    /// The newest usage event the run reads (by id, taken safely: see <see cref="Metering.EventWatermark"/>): later events are late for the
    /// months it finalizes, and a retry sees what the first attempt saw.
    /// </summary>
    public long EventWatermark { get; set; }

    /// <summary>Subscriptions in scope, fixed when the run starts. Progress is counted from the items, never kept as a counter here.</summary>
    public int Total { get; set; }

    public string? JobId { get; set; }

    /// <summary>The node working on the run, while <see cref="LeaseExpiresAt"/> is ahead: no other node touches it until the lease lapses.</summary>
    public string? LeaseOwner { get; set; }

    public DateTimeOffset? LeaseExpiresAt { get; set; }

    public static string ActiveKeyFor(Guid projectId, DateTimeOffset periodStart, Guid? customerId) =>
        $"{projectId:N}:{periodStart.UtcTicks}:{customerId?.ToString("N") ?? "all"}";
}

/// <summary>One subscription in a run: its outcome, the invoice it produced, or the draft (dry runs and reruns).</summary>
public sealed class BillingRunItemRecord
{
    public Guid Id { get; set; }
    public Guid RunId { get; set; }
    public Guid SubscriptionId { get; set; }
    public Guid CustomerId { get; set; }
    public int Position { get; set; }
    public BillingRunItemStatus Status { get; set; }
    public string? Error { get; set; }
    public Guid? InvoiceId { get; set; }
    public string? DraftJson { get; set; }
    public string? DraftHash { get; set; }
    public long? DraftTotal { get; set; }

    /// <summary>The draft's charges before credits: what a rerun compares with what the month was billed so far.</summary>
    public long? DraftSubtotal { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
}
