using Neruba.Domain.Billing;

namespace Neruba.Domain.Tests.Billing;

public class PlanTermsTests
{
    private static PlanTerms Terms(params UsageCharge[] charges) => new("USD", BillingInterval.Monthly, 1000, FeeTiming.InArrears, charges, 0, 0);

    [Fact]
    public void Valid_terms_have_no_errors() =>
        Assert.Empty(Terms(new UsageCharge("api_calls", ChargeModel.Graduated, 0, [new(100, 0.1m), new(null, 0.05m)], 0, 0)).Validate(new HashSet<string> { "api_calls" }));

    [Theory]
    [InlineData("the last tier has no upper bound", 100, 200)]
    [InlineData("tier 2 needs an upper bound above 100", 100, 50)]
    public void Tiers_must_rise_and_end_open(string expected, int firstUpTo, int secondUpTo)
    {
        var charge = new UsageCharge("api_calls", ChargeModel.Volume, 0, [new(firstUpTo, 0.1m), new(secondUpTo, 0.05m), new(expected.StartsWith("the last", StringComparison.Ordinal) ? 300 : null, 0.01m)], 0, 0);
        Assert.Contains(Terms(charge).Validate(), e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_problem_is_named()
    {
        var terms = new PlanTerms("XYZ", BillingInterval.Monthly, -1, FeeTiming.InAdvance,
            [new UsageCharge("calls", ChargeModel.Package, 1, [], 0, -5), new UsageCharge("calls", ChargeModel.PerUnit, -1, [], 0, 0)], 0, 0);
        var errors = terms.Validate(new HashSet<string> { "other" });
        Assert.Contains(errors, e => e.Contains("'XYZ' is not a currency", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("cannot be negative", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Metric 'calls' is charged twice", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("the project has no metric with that code", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("the package size must be more than zero", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("the included quantity cannot be negative", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("the unit price cannot be negative", StringComparison.Ordinal));
    }
}
