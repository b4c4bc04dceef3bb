using Neruba.Console.Components.Shared.Display;
using Neruba.Infrastructure.Operations.Readiness;

namespace Neruba.Console.Components.Pages.Readiness;

/// <summary>How a readiness level reads and looks: the same colours as every status chip (green done, amber attention, red failed).</summary>
public static class ReadinessText
{
    public static StatusTone Tone(SignalLevel level) => level switch
    {
        SignalLevel.Green => StatusTone.Done,
        SignalLevel.Amber => StatusTone.Attention,
        SignalLevel.Red => StatusTone.Failed,
        _ => StatusTone.Neutral,
    };

    public static string Level(SignalLevel level) => level switch
    {
        SignalLevel.Green => "Green",
        SignalLevel.Amber => "Amber",
        SignalLevel.Red => "Red",
        _ => "Not in use",
    };

    public static string Area(ReadinessArea area) => area switch
    {
        ReadinessArea.Platform => "Platform",
        ReadinessArea.MoneyIntegrity => "Money integrity",
        ReadinessArea.Billing => "Billing",
        _ => "Finance",
    };

    /// <summary>The page's answer to "is billing safe to run today?".</summary>
    public static string Verdict(SignalLevel overall) => overall switch
    {
        SignalLevel.Red => "Not safe to run billing as is: fix the red signals first.",
        SignalLevel.Amber => "Safe to run billing; some signals need attention.",
        _ => "Safe to run billing: every signal is green.",
    };
}
