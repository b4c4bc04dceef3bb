using System.Globalization;
using Neruba.Console.Components.Pages.Invoices;
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
        var net = string.Join(", ", summary.Net.Select(n => SignedMoney(n.Difference, n.Currency)));
        return summary.Net.Count == 0 ? counts + "." : $"{counts} (net {net}).";
    }

    /// <summary>A difference reads with its sign, so "+0.02 USD" is visibly more than the finalized invoice.</summary>
    public static string SignedMoney(long minor, string currency) => Neruba.Console.Components.Shared.Display.ConsoleFormat.Money(minor, currency, withSign: true);
}
