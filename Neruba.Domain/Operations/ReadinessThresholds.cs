namespace Neruba.Domain.Operations;

/// <summary>
/// Where the readiness page turns a signal amber or red, per project (Settings → Readiness). The defaults suit a project billed monthly
/// with a daily reconciliation; every figure is a whole number so a tired operator can read and set it.
/// </summary>
public sealed class ReadinessThresholds
{
    public const int DefaultStuckRunMinutes = 15;
    public const int DefaultApprovalAgeHours = 24;
    public const int DefaultLateEventsRed = 1000;
    public const int DefaultFinalRunLateHours = 6;
    public const int DefaultReconciliationAgeHours = 36;
    public const int DefaultWebhookSilenceHours = 24;
    public const int DefaultFailedPaymentsRed = 5;
    public const int DefaultIntegrityCheckAgeHours = 26;
    public const int DefaultDiskFreeMegabytes = 1024;

    /// <summary>A run under way with no customer finished for this long is stuck (red).</summary>
    public int StuckRunMinutes { get; private set; } = DefaultStuckRunMinutes;

    /// <summary>A credit grant or correction waiting longer than this for its second person is red (any waiting is amber).</summary>
    public int ApprovalAgeHours { get; private set; } = DefaultApprovalAgeHours;

    /// <summary>Late events waiting for a rerun: any is amber, this many or more is red.</summary>
    public int LateEventsRed { get; private set; } = DefaultLateEventsRed;

    /// <summary>A month past its end and grace without a final run is amber; this many hours later still without one, red.</summary>
    public int FinalRunLateHours { get; private set; } = DefaultFinalRunLateHours;

    /// <summary>The last reconciliation older than this is amber, twice as old red (Stripe configured only).</summary>
    public int ReconciliationAgeHours { get; private set; } = DefaultReconciliationAgeHours;

    /// <summary>No Stripe webhook received for this long is amber (a silent endpoint is the first sign of an outage).</summary>
    public int WebhookSilenceHours { get; private set; } = DefaultWebhookSilenceHours;

    /// <summary>Failed payments or webhooks in the last 7 days: any is amber, this many or more red.</summary>
    public int FailedPaymentsRed { get; private set; } = DefaultFailedPaymentsRed;

    /// <summary>The last money-integrity check older than this is amber (a failed one is always red).</summary>
    public int IntegrityCheckAgeHours { get; private set; } = DefaultIntegrityCheckAgeHours;

    /// <summary>Embedded mode: free disk under the data folder below this is amber, below a quarter of it red.</summary>
    public int DiskFreeMegabytes { get; private set; } = DefaultDiskFreeMegabytes;

    public static ReadinessThresholds Default => new();

    public ReadinessThresholds() { }

    public ReadinessThresholds(int stuckRunMinutes, int approvalAgeHours, int lateEventsRed, int finalRunLateHours, int reconciliationAgeHours,
        int webhookSilenceHours, int failedPaymentsRed, int integrityCheckAgeHours, int diskFreeMegabytes)
    {
        StuckRunMinutes = InRange(stuckRunMinutes, 1, 24 * 60, nameof(stuckRunMinutes));
        ApprovalAgeHours = InRange(approvalAgeHours, 1, 24 * 31, nameof(approvalAgeHours));
        LateEventsRed = InRange(lateEventsRed, 1, 100_000_000, nameof(lateEventsRed));
        FinalRunLateHours = InRange(finalRunLateHours, 1, 24 * 31, nameof(finalRunLateHours));
        ReconciliationAgeHours = InRange(reconciliationAgeHours, 1, 24 * 31, nameof(reconciliationAgeHours));
        WebhookSilenceHours = InRange(webhookSilenceHours, 1, 24 * 31, nameof(webhookSilenceHours));
        FailedPaymentsRed = InRange(failedPaymentsRed, 1, 1_000_000, nameof(failedPaymentsRed));
        IntegrityCheckAgeHours = InRange(integrityCheckAgeHours, 1, 24 * 31, nameof(integrityCheckAgeHours));
        DiskFreeMegabytes = InRange(diskFreeMegabytes, 1, 10_000_000, nameof(diskFreeMegabytes));
    }

    private static int InRange(int value, int min, int max, string name) =>
        value < min || value > max ? throw new ArgumentOutOfRangeException(name, value, $"Between {min} and {max}.") : value;
}
