using System.Globalization;
using Neruba.Infrastructure.Billing.Runs;

namespace Neruba.Console.Components.Pages.Billing;

/// <summary>Words for run kinds and states, and the polling the run pages share.</summary>
public static class BillingRunText
{
    public static string Kind(BillingRunKind kind) => kind switch
    {
        BillingRunKind.DryRun => "Dry run",
        BillingRunKind.Rerun => "Rerun preview",
        _ => kind.ToString(),
    };

    public static string Status(BillingRunStatus status) => status switch
    {
        BillingRunStatus.CompletedWithFailures => "Finished with failures",
        _ => status.ToString(),
    };

    public static string Duration(TimeSpan? duration) => duration switch
    {
        null => "–",
        { TotalMinutes: >= 1 } d => d.ToString(@"m\m\ ss\s", CultureInfo.InvariantCulture),
        var d => d.Value.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s",
    };

    /// <summary>Reloads every half second while <paramref name="active"/> holds, so progress moves without a reload.</summary>
    public static async Task PollWhileAsync(Func<bool> active, Func<Task> load, Action changed, Func<Action, Task> onRenderer, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                if (!active())
                {
                    continue;
                }

                await load();
                await onRenderer(changed);
            }
        }
        catch (OperationCanceledException)
        {
            // The person left the page.
        }
    }
}
