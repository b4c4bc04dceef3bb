using System.Globalization;

namespace Neruba.Infrastructure.Operations.Readiness;

/// <summary>Worst last, so the page's overall level is the maximum of its signals.</summary>
public enum SignalLevel
{
    /// <summary>Not in use in this project (no Stripe account, server mode's disk): says nothing either way.</summary>
    Off = 0,
    Green = 1,
    Amber = 2,
    Red = 3,
}

public enum ReadinessArea
{
    Platform = 1,
    MoneyIntegrity = 2,
    Billing = 3,
    Finance = 4,
}

/// <summary>
/// One readiness signal: its level, the figure it was judged on (words and a number for metrics), the threshold it was judged against, the page
/// that fixes it and the runbook that says how. <see cref="Offending"/> names ids to open (runs, invoices, entries), at most a few.
/// </summary>
public sealed record ReadinessSignal(string Key, ReadinessArea Area, string Title, SignalLevel Level, string Figure, long Value, string Threshold,
    string FixPage, string FixLabel, string Runbook, IReadOnlyList<string> Offending)
{
    public const int MaxOffending = 10;
}

/// <summary>"Is billing safe to run today?" for one project: every signal, and the worst of them.</summary>
public sealed record ReadinessReport(Guid ProjectId, DateTimeOffset AsOf, IReadOnlyList<ReadinessSignal> Signals, ReadinessThresholdsView Thresholds)
{
    public SignalLevel Overall => Signals.Select(s => s.Level).Append(SignalLevel.Green).Max();
}

/// <summary>The runbooks the signals link to: Markdown files shipped in <c>docs/runbooks/{slug}.md</c> and rendered at <c>/runbooks/{slug}</c>.</summary>
public static class Runbooks
{
    public const string FailedBillingRun = "failed-billing-run";
    public const string StuckBillingRun = "stuck-billing-run";
    public const string LateEventsAndReruns = "late-events-and-reruns";
    public const string WebhookOutage = "webhook-outage";
    public const string ReconciliationMismatch = "reconciliation-mismatch";
    public const string DisputeDeadline = "dispute-deadline";
    public const string RestoreFromBackup = "restore-from-backup";
    public const string CreditApprovalBacklog = "credit-approval-backlog";
    public const string LedgerIntegrity = "ledger-integrity";
    public const string PlatformHealth = "platform-health";
    public const string FailedPayments = "failed-payments";

    public static readonly IReadOnlyList<string> All =
    [
        FailedBillingRun, StuckBillingRun, LateEventsAndReruns, WebhookOutage, ReconciliationMismatch, DisputeDeadline, RestoreFromBackup,
        CreditApprovalBacklog, LedgerIntegrity, PlatformHealth, FailedPayments,
    ];
}

/// <summary>Figures in words an operator reads at a glance.</summary>
internal static class ReadinessWords
{
    public static string Age(TimeSpan age) => age switch
    {
        { TotalMinutes: < 1 } => "under a minute",
        { TotalHours: < 1 } => $"{(int)age.TotalMinutes} min",
        { TotalDays: < 2 } => $"{(int)age.TotalHours} h {age.Minutes} min",
        _ => $"{(int)age.TotalDays} d {age.Hours} h",
    };

    public static string Count(long count, string one, string many) =>
        string.Create(CultureInfo.InvariantCulture, $"{count:N0} {(count == 1 ? one : many)}");
}
