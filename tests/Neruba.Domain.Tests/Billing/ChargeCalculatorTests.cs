using Neruba.Domain.Billing;
using Neruba.Domain.Money;

namespace Neruba.Domain.Tests.Billing;

/// <summary>Every expected amount below is worked out by hand in the comment beside it.</summary>
public class ChargeCalculatorTests
{
    private static readonly Currency Usd = Currency.Of("USD");

    // 0-100 at 0.10, 101-1000 at 0.05, above 1000 at 0.01.
    private static readonly PriceTier[] Tiers = [new(100, 0.10m), new(1000, 0.05m), new(null, 0.01m)];

    private static UsageCharge Charge(ChargeModel model, decimal unitPrice = 0, decimal packageSize = 0, decimal included = 0) =>
        new("api_calls", model, unitPrice, model is ChargeModel.Graduated or ChargeModel.Volume ? Tiers : [], packageSize, included);

    private static long Total(UsageCharge charge, decimal quantity, decimal included = 0, Currency? currency = null) =>
        ChargeCalculator.Price(charge, quantity, included, currency ?? Usd).Sum(p => p.Amount);

    [Theory]
    [InlineData(1250, 0, 250)] // 1,250 x 0.002 = 2.50
    [InlineData(1250, 1000, 50)] // (1,250 - 1,000) x 0.002 = 0.50
    [InlineData(800, 1000, 0)] // under the allowance: nothing billable
    [InlineData(0, 0, 0)] // zero usage
    public void Per_unit_charges_every_billable_unit(decimal quantity, decimal included, long expected) =>
        Assert.Equal(expected, Total(Charge(ChargeModel.PerUnit, 0.002m), quantity, included));

    [Theory]
    [InlineData(100, 1000)] // 100 x 0.10 = 10.00, all in tier 1 (the bound is inclusive)
    [InlineData(101, 1005)] // 100 x 0.10 + 1 x 0.05 = 10.05
    [InlineData(1000, 5500)] // 10.00 + 900 x 0.05 = 55.00
    [InlineData(1500, 6000)] // 10.00 + 45.00 + 500 x 0.01 = 60.00
    public void Graduated_prices_each_unit_in_its_own_tier(decimal quantity, long expected) =>
        Assert.Equal(expected, Total(Charge(ChargeModel.Graduated), quantity));

    [Fact]
    public void Graduated_gives_one_explained_line_per_tier_used()
    {
        var pieces = ChargeCalculator.Price(Charge(ChargeModel.Graduated), 1500, 0, Usd);
        Assert.Equal([100m, 900m, 500m], pieces.Select(p => p.Quantity));
        Assert.Equal(["tier 1 (0-100)", "tier 2 (101-1,000)", "tier 3 (above 1,000)"], pieces.Select(p => p.Tier));
        Assert.Equal("900 units in tier 2 (101-1,000): 900 x 0.05 USD = 45.00 USD", pieces[1].Explanation);
    }

    [Theory]
    [InlineData(100, 1000)] // 100 x 0.10 = 10.00
    [InlineData(101, 505)] // all 101 at tier 2: 101 x 0.05 = 5.05
    [InlineData(1000, 5000)] // 1,000 x 0.05 = 50.00
    [InlineData(1001, 1001)] // all 1,001 at tier 3: 1,001 x 0.01 = 10.01
    [InlineData(0, 0)]
    public void Volume_prices_every_unit_at_the_tier_the_total_reaches(decimal quantity, long expected) =>
        Assert.Equal(expected, Total(Charge(ChargeModel.Volume), quantity));

    [Theory]
    [InlineData(0, 0)] // no package started
    [InlineData(1, 500)] // a started package is charged whole: 1 x 5.00
    [InlineData(100, 500)] // exactly one package
    [InlineData(101, 1000)] // two packages: 2 x 5.00
    public void Package_charges_started_packages(decimal quantity, long expected) =>
        Assert.Equal(expected, Total(Charge(ChargeModel.Package, 5.00m, packageSize: 100), quantity));

    [Fact]
    public void Allowance_comes_off_before_the_tiers_apply()
    {
        // 1,150 used - 1,000 included = 150 billable: 100 x 0.10 + 50 x 0.05 = 12.50
        var pieces = ChargeCalculator.Price(Charge(ChargeModel.Graduated), 1150, 1000, Usd);
        Assert.Equal(1250, pieces.Sum(p => p.Amount));
        Assert.StartsWith("1,150 used - 1,000 included = 150 billable; ", pieces[0].Explanation, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("USD", "0.005", 5, 3)] // 0.025 USD = 2.5 cents: half away from zero gives 3 (banker's rounding would give 2)
    [InlineData("USD", "0.001", 4, 0)] // 0.004 USD = 0.4 cents rounds down to 0
    [InlineData("JPY", "0.5", 3, 2)] // 1.5 yen rounds to 2
    [InlineData("KWD", "0.0005", 1, 1)] // 0.0005 KWD = 0.5 fils rounds to 1
    public void A_line_is_rounded_once_to_minor_units_half_away_from_zero(string currency, string price, int quantity, long expected) =>
        Assert.Equal(expected, Total(Charge(ChargeModel.PerUnit, decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture)), quantity, 0, Currency.Of(currency)));

    [Fact]
    public void Each_tier_line_is_rounded_on_its_own()
    {
        // Tier 1: 1 x 0.005 = 0.5 cents -> 1; tier 2: 1 x 0.005 -> 1. Totals are sums of rounded lines: 2, not round(1.0 cent) = 1.
        var charge = new UsageCharge("m", ChargeModel.Graduated, 0, [new(1, 0.005m), new(null, 0.005m)], 0, 0);
        Assert.Equal([1L, 1L], ChargeCalculator.Price(charge, 2, 0, Usd).Select(p => p.Amount));
    }
}
