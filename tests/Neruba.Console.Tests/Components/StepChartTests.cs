using Bunit;
using Neruba.Console.Components.Shared.Charts;

namespace Neruba.Console.Tests.Components;

/// <summary>Balances and monthly usage are drawn as steps on a time axis: flat while a value holds, straight up or down where it changes.</summary>
public class StepChartTests : MudTestContext
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Each_value_holds_until_just_before_the_next_and_the_last_until_the_end()
    {
        Step[] steps = [new(T0, 25), new(T0.AddDays(3), 75), new(T0.AddDays(10), 40)];

        var points = StepSeries.Points(steps, T0.AddDays(12));

        Assert.Equal(
        [
            new Step(T0, 25), new Step(T0.AddDays(3) - StepSeries.JustBefore, 25),
            new Step(T0.AddDays(3), 75), new Step(T0.AddDays(10) - StepSeries.JustBefore, 75),
            new Step(T0.AddDays(10), 40), new Step(T0.AddDays(12), 40),
        ], points);
    }

    [Fact]
    public void Changes_in_the_same_instant_draw_no_held_point_between_them()
    {
        Step[] steps = [new(T0, 10), new(T0, 30)];

        var points = StepSeries.Points(steps, T0);

        Assert.Equal([new Step(T0, 10), new Step(T0, 30)], points);
    }

    [Theory]
    [InlineData(2, "MM-dd HH:mm")]
    [InlineData(24 * 20, "yyyy-MM-dd")]
    [InlineData(24 * 183, "yyyy-MM-dd")]
    public void Axis_labels_are_spaced_evenly_at_a_round_interval_and_say_no_more_than_it_needs(int hours, string format)
    {
        var spacing = StepSeries.LabelSpacing(T0, T0.AddHours(hours));

        Assert.InRange(TimeSpan.FromHours(hours) / spacing, 1, 9);
        Assert.Equal(format, StepSeries.LabelFormat(spacing));
    }

    [Theory]
    [InlineData(3, 1)]
    [InlineData(525, 200)]
    [InlineData(2400, 500)]
    [InlineData(0, 1)]
    public void Value_lines_are_a_round_step_about_a_fifth_of_the_largest_value(double largest, int step)
    {
        Assert.Equal(step, StepSeries.ValueSpacing(largest));
    }

    [Fact]
    public void The_chart_draws_every_point_on_a_time_axis_across_the_full_width()
    {
        var chart = Render<StepChart>(p => p
            .Add(c => c.Steps, [new Step(T0, 25), new Step(T0.AddDays(3), 75)])
            .Add(c => c.Until, T0.AddDays(5))
            .Add(c => c.Name, "Balance (USD)")
            .Add(c => c.TestId, "balance-chart"));

        var box = chart.Find("[data-testid=balance-chart]");
        Assert.Equal("4", box.GetAttribute("data-points"));
        Assert.NotNull(box.QuerySelector("svg"));
        Assert.Contains("width: 100%", box.QuerySelector(".mud-chart")!.GetAttribute("style") ?? "", StringComparison.Ordinal);
    }
}
