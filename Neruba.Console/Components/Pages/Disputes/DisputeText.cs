using Neruba.Console.Components.Shared.Display;
using Neruba.Infrastructure.Payments.Disputes;

namespace Neruba.Console.Components.Pages.Disputes;

/// <summary>How the dispute pages colour and word a dispute's state.</summary>
public static class DisputeText
{
    public static StatusTone Tone(DisputeStatus status) => status switch
    {
        DisputeStatus.NeedsResponse or DisputeStatus.WarningNeedsResponse => StatusTone.Attention,
        DisputeStatus.UnderReview or DisputeStatus.WarningUnderReview => StatusTone.InProgress,
        DisputeStatus.Won or DisputeStatus.Prevented => StatusTone.Done,
        DisputeStatus.Lost => StatusTone.Failed,
        _ => StatusTone.Neutral,
    };

    public static readonly IReadOnlyList<(DisputeFilter Filter, string Words)> Filters =
    [
        (DisputeFilter.Open, "Open"), (DisputeFilter.NeedsResponse, "Needs response"), (DisputeFilter.UnderReview, "Under review"),
        (DisputeFilter.Won, "Won"), (DisputeFilter.Lost, "Lost"), (DisputeFilter.Inquiries, "Inquiries"), (DisputeFilter.All, "All"),
    ];

    public static string Size(long bytes) => bytes >= 1024 * 1024
        ? $"{bytes / 1024.0 / 1024.0:0.0} MB".Replace(',', '.')
        : $"{Math.Max(1, bytes / 1024)} KB";
}
