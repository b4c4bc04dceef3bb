using System.Globalization;
using Neruba.Console.Components.Shared.Display;
using Neruba.Infrastructure.Billing.Runs;

namespace Neruba.Console.Components.Pages.Billing;

/// <summary>Words for run durations and rerun figures (kinds and states: <see cref="Neruba.Console.Components.Shared.Display.Labels"/>).</summary>
public static class BillingRunText
{
    public static string Duration(TimeSpan? duration) => duration switch
    {
        null => "–",
        { TotalMinutes: >= 1 } d => d.ToString(@"m\m\ ss\s", CultureInfo.InvariantCulture),
        var d => d.Value.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s",
    };

    /// <summary>"3 of 10,000 recomputed invoices differ (net +1.20 USD)": counted over the whole run, one net per currency.</summary>
    public static string RerunSummary(RerunSummary summary)
    {
        var counts = string.Create(CultureInfo.InvariantCulture, $"{summary.Differing:N0} of {summary.Compared:N0} recomputed invoices differ");
        var net = string.Join(", ", summary.Net.Select(n => ConsoleFormat.Money(n.Difference, n.Currency, withSign: true)));
        return summary.Net.Count == 0 ? counts + "." : $"{counts} (net {net}).";
    }


    /// <summary>"Final run for 2026-09": the run's name, as its page is headed and as the start dialog says it.</summary>
    public static string RunName(BillingRunKind kind, DateTimeOffset periodStart) => $"{Labels.Of(kind)} for {ConsoleFormat.Month(periodStart)}";

    /// <summary>The start dialog's title and confirm button, in the words of the run's name: "Start final run for 2026-09", "Start final run".</summary>
    public static (string Title, string Confirm) StartWords(BillingRunKind kind, DateTimeOffset periodStart)
    {
        var label = Labels.Of(kind);
        var confirm = "Start " + char.ToLowerInvariant(label[0]) + label[1..];
        return ($"{confirm} for {ConsoleFormat.Month(periodStart)}", confirm);
    }

    /// <summary>What the run will do, from the server's check: its scope and size, and for a final run what it will skip.</summary>
    public static string StartQuestion(BillingRunPreflight preflight)
    {
        var month = ConsoleFormat.Month(preflight.PeriodStart);
        var scope = $"{preflight.Scope}, {Counted(preflight.Subscriptions, "subscription")}";
        return preflight.Kind switch
        {
            BillingRunKind.DryRun => $"Compute draft invoices for {month} ({scope})? Nothing is finalized and no money moves.",
            BillingRunKind.Rerun => $"Recompute {month} ({scope}) with the usage known now and show it beside the finalized invoices? Nothing is changed.",
            _ when preflight.AlreadyInvoiced == preflight.Subscriptions =>
                $"Every subscription in scope ({scope}) already has its final invoice for {month}, so this run will bill nothing new. "
                + "To correct an invoice, start a rerun preview instead.",
            _ => $"Finalize invoices for {month} ({scope})?"
                + (preflight.AlreadyInvoiced > 0 ? $" {Counted(preflight.AlreadyInvoiced, "subscription")} already invoiced will be skipped." : "")
                + " Invoices are numbered and posted to the ledger, and credits are consumed. This cannot be undone, only corrected.",
        };
    }

    /// <summary>"1 customer", "4 customers".</summary>
    public static string Counted(long count, string noun) => $"{ConsoleFormat.Count(count)} {noun}{(count == 1 ? "" : "s")}";
}
