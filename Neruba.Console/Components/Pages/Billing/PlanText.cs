using Neruba.Console.Components.Shared.Display;
using Neruba.Domain.Billing;

namespace Neruba.Console.Components.Pages.Billing;

/// <summary>A usage charge in words, as the plans page lists it.</summary>
public static class PlanText
{
    public static string Charge(UsageCharge charge, string currency)
    {
        var included = charge.IncludedQuantity > 0 ? $" after {Number(charge.IncludedQuantity)} included" : "";
        return charge.Model switch
        {
            ChargeModel.PerUnit => $"{ConsoleFormat.Price(charge.UnitPrice, currency)} per unit{included}",
            ChargeModel.Package => $"{ConsoleFormat.Price(charge.UnitPrice, currency)} per package of {Number(charge.PackageSize)}{included}",
            _ => $"{Labels.Of(charge.Model).ToLowerInvariant()}: {Tiers(charge.Tiers, currency)}{included}",
        };
    }

    /// <summary>"up to 10,000 at 0.0015 USD, then 0.001 USD" (the form's "10000: 0.0015; *: 0.001" in words).</summary>
    public static string Tiers(IEnumerable<PriceTier> tiers, string currency) => string.Join(", ", tiers.Select((tier, index) => tier.UpTo is { } upTo
        ? $"{(index == 0 ? "up to" : "then up to")} {Number(upTo)} at {ConsoleFormat.Price(tier.UnitPrice, currency)}"
        : $"{(index == 0 ? "" : "then ")}{ConsoleFormat.Price(tier.UnitPrice, currency)}"));

    private static string Number(decimal value) => ConsoleFormat.Quantity(value);
}
