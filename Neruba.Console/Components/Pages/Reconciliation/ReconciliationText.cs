using System.Globalization;
using Neruba.Console.Components.Shared.Display;
using Neruba.Infrastructure.Payments.Reconciliation;

namespace Neruba.Console.Components.Pages.Reconciliation;

/// <summary>Words the reconciliation pages share.</summary>
public static class ReconciliationText
{
    public static string Window(DateTimeOffset start, DateTimeOffset end) =>
        $"{start.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} – {end.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC";

    public static string Progress(ReconciliationRunView run) =>
        $"{run.TransactionsSeen.ToString("N0", CultureInfo.InvariantCulture)} transactions on {run.PagesRead.ToString(CultureInfo.InvariantCulture)} "
        + $"page{(run.PagesRead == 1 ? "" : "s")}, {run.Matched.ToString("N0", CultureInfo.InvariantCulture)} matched";

    public static string Outcome(ReconciliationRunView run) => run.Status switch
    {
        ReconciliationRunStatus.Queued => "Waiting for the job to start.",
        ReconciliationRunStatus.Running => "Reading Stripe's balance transactions…",
        ReconciliationRunStatus.Failed => run.Error ?? "The run failed.",
        _ => $"{run.MismatchesOpened} new mismatch{(run.MismatchesOpened == 1 ? "" : "es")}, {run.MismatchesStillOpen} still open, "
            + $"{run.MismatchesClosed} closed as now matching, {run.PayoutsPosted} payout{(run.PayoutsPosted == 1 ? "" : "s")} posted.",
    };

    /// <summary>An amount in minor units, or a dash when that side has none.</summary>
    public static string Amount(long? minor, string currency) => minor is { } value && currency.Length == 3 ? ConsoleFormat.Money(value, currency) : "–";
}
