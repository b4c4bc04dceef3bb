using System.Globalization;
using Neruba.Domain.Money;

namespace Neruba.Domain.Billing;

/// <summary>A priced piece of usage: quantity x unit price, rounded once, and the words that explain it.</summary>
public sealed record PricedQuantity(decimal Quantity, decimal UnitPrice, string? Tier, long Amount, string Explanation);

/// <summary>
/// Prices a metric's usage under one charge. The included quantity is taken off first; tiers and
/// packages apply to what is left. Every piece is rounded on its own, half away from zero.
/// </summary>
public static class ChargeCalculator
{
    public static IReadOnlyList<PricedQuantity> Price(UsageCharge charge, decimal quantity, decimal included, Currency currency)
    {
        var billable = Math.Max(0, quantity - included);
        var prefix = included > 0 ? $"{Num(quantity)} used - {Num(included)} included = {Num(billable)} billable; " : "";
        return charge.Model switch
        {
            ChargeModel.PerUnit => [Piece(billable, charge.UnitPrice, null, currency, prefix + $"{Num(billable)} x {Price(charge.UnitPrice, currency)}")],
            ChargeModel.Volume => [Volume(charge, billable, currency, prefix)],
            ChargeModel.Graduated => Graduated(charge, billable, currency, prefix),
            ChargeModel.Package => [Package(charge, billable, currency, prefix)],
            _ => throw new ArgumentOutOfRangeException(nameof(charge), charge.Model, "Unknown charge model."),
        };
    }

    private static PricedQuantity Volume(UsageCharge charge, decimal billable, Currency currency, string prefix)
    {
        var index = TierIndexOf(charge.Tiers, billable);
        var tier = charge.Tiers[index];
        var label = TierLabel(charge.Tiers, index);
        return Piece(billable, tier.UnitPrice, label, currency,
            prefix + $"all {Num(billable)} units at the {label} price: {Num(billable)} x {Price(tier.UnitPrice, currency)}");
    }

    private static List<PricedQuantity> Graduated(UsageCharge charge, decimal billable, Currency currency, string prefix)
    {
        var pieces = new List<PricedQuantity>();
        decimal lower = 0;
        for (var i = 0; i < charge.Tiers.Count; i++)
        {
            var tier = charge.Tiers[i];
            var inTier = tier.UpTo is { } upTo ? Math.Clamp(billable - lower, 0, upTo - lower) : Math.Max(0, billable - lower);
            if (inTier > 0 || (i == 0 && billable == 0))
            {
                var label = TierLabel(charge.Tiers, i);
                pieces.Add(Piece(inTier, tier.UnitPrice, label, currency,
                    (i == 0 ? prefix : "") + $"{Num(inTier)} units in {label}: {Num(inTier)} x {Price(tier.UnitPrice, currency)}"));
            }

            lower = tier.UpTo ?? lower;
        }

        return pieces;
    }

    private static PricedQuantity Package(UsageCharge charge, decimal billable, Currency currency, string prefix)
    {
        var packages = decimal.Ceiling(billable / charge.PackageSize);
        return Piece(packages, charge.UnitPrice, null, currency,
            prefix + $"{Num(billable)} units in packages of {Num(charge.PackageSize)} = {Num(packages)} packages x {Price(charge.UnitPrice, currency)}");
    }

    /// <summary>The tier a quantity falls in: the first whose upper bound is at or above it (bounds are inclusive).</summary>
    public static int TierIndexOf(IReadOnlyList<PriceTier> tiers, decimal quantity)
    {
        for (var i = 0; i < tiers.Count; i++)
        {
            if (tiers[i].UpTo is not { } upTo || quantity <= upTo)
            {
                return i;
            }
        }

        return tiers.Count - 1;
    }

    public static string TierLabel(IReadOnlyList<PriceTier> tiers, int index)
    {
        var from = index == 0 ? 0 : tiers[index - 1].UpTo ?? 0;
        var range = tiers[index].UpTo is { } upTo ? $"{Num(from == 0 ? 0 : from + 1)}-{Num(upTo)}" : $"above {Num(from)}";
        return $"tier {index + 1} ({range})";
    }

    private static PricedQuantity Piece(decimal quantity, decimal unitPrice, string? tier, Currency currency, string explanation)
    {
        var amount = MoneyAmount.FromDecimal(quantity * unitPrice, currency);
        return new PricedQuantity(quantity, unitPrice, tier, amount.Minor, $"{explanation} = {amount}");
    }

    internal static string Num(decimal value) => value.ToString("#,0.############################", CultureInfo.InvariantCulture);

    internal static string Price(decimal unitPrice, Currency currency) => $"{Num(unitPrice)} {currency.Code}";
}
