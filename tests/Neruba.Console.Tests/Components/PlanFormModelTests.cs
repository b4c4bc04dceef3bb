using Neruba.Console.Components.Pages.Billing;
using Neruba.Domain.Billing;

namespace Neruba.Console.Tests.Components;

public class PlanFormModelTests
{
    [Fact]
    public void Tiers_are_read_as_up_to_and_price_with_an_open_last_tier()
    {
        Assert.True(PlanFormModel.TryParseTiers("1000: 0.01; 10000: 0.008; *: 0.005", out var tiers, out _));
        Assert.Equal([new PriceTier(1000, 0.01m), new PriceTier(10000, 0.008m), new PriceTier(null, 0.005m)], tiers);
        Assert.Equal("1000: 0.01; 10000: 0.008; *: 0.005", PlanFormModel.FormatTiers(tiers));
    }

    [Theory]
    [InlineData("1000 0.01")]
    [InlineData("ten: 0.01")]
    [InlineData("100: -")]
    public void An_unreadable_tier_is_named_in_the_error(string text)
    {
        Assert.False(PlanFormModel.TryParseTiers(text, out _, out var error));
        Assert.Contains(text.Split(';')[0].Trim(), error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_form_becomes_a_request_with_amounts_as_typed()
    {
        var model = new PlanFormModel { Code = " pro ", Name = "Pro", BaseFee = "49.00", PrepaidCredit = "5" };
        model.Charges.Add(new PlanFormModel.ChargeRow { MetricCode = "calls", Model = ChargeModel.Volume, TiersText = "100: 0.1; *: 0.05", Included = 10 });
        model.Charges.Add(new PlanFormModel.ChargeRow { MetricCode = "gb", Model = ChargeModel.Package, UnitPrice = 5, PackageSize = 100 });

        Assert.True(model.TryToRequest(out var request, out _));
        Assert.Equal(("pro", "49.00", "5"), (request.Code, request.BaseFee, request.PrepaidCredit));
        Assert.Equal(2, request.Charges![0].Tiers.Count);
        Assert.Equal((100m, 0), (request.Charges[1].PackageSize, request.Charges[1].Tiers.Count));
    }
}
