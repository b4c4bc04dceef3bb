using System.Globalization;
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
            ChargeModel.PerUnit => $"{Number(charge.UnitPrice)} {currency} per unit{included}",
            ChargeModel.Package => $"{Number(charge.UnitPrice)} {currency} per package of {Number(charge.PackageSize)}{included}",
            _ => $"{charge.Model.ToString().ToLowerInvariant()} tiers {PlanFormModel.FormatTiers(charge.Tiers)}{included}",
        };
    }

    public static string Model(ChargeModel model) => model switch
    {
        ChargeModel.PerUnit => "Per unit",
        ChargeModel.Graduated => "Graduated tiers",
        ChargeModel.Volume => "Volume tiers",
        _ => "Package",
    };

    private static string Number(decimal value) => value.ToString("#,0.############", CultureInfo.InvariantCulture);
}
