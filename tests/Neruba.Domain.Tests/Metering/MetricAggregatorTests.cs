using Neruba.Domain.Metering;

namespace Neruba.Domain.Tests.Metering;

public class MetricAggregatorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static MeteredEvent E(string id, int minutes, params (string Key, object Value)[] properties) =>
        new(id, T0.AddMinutes(minutes), properties.ToDictionary(p => p.Key, p => p.Value switch
        {
            string s => PropertyValue.Of(s),
            int i => PropertyValue.Of(i),
            decimal d => PropertyValue.Of(d),
            _ => throw new ArgumentException("bad test value"),
        }));

    private static BillableMetric Metric(Aggregation aggregation, string? property = null, params MetricFilter[] filters) =>
        new(Guid.NewGuid(), Guid.NewGuid(), "m", "Metric", aggregation, property, filters, T0);

    private static readonly MeteredEvent[] Calls =
    [
        E("e1", 0, ("region", "eu"), ("tokens", 100), ("user", "ann")),
        E("e2", 1, ("region", "us"), ("tokens", 250), ("user", "bob")),
        E("e3", 2, ("region", "eu"), ("tokens", 50.5m), ("user", "ann")),
        E("e4", 3, ("region", "ap"), ("user", "cid")),
    ];

    [Fact]
    public void Count_counts_every_event() => Assert.Equal(4, MetricAggregator.Aggregate(Metric(Aggregation.Count), Calls));

    [Fact]
    public void Sum_adds_the_numeric_property_and_skips_events_without_it() =>
        Assert.Equal(400.5m, MetricAggregator.Aggregate(Metric(Aggregation.Sum, "tokens"), Calls));

    [Fact]
    public void Max_takes_the_largest_value() => Assert.Equal(250, MetricAggregator.Aggregate(Metric(Aggregation.Max, "tokens"), Calls));

    [Fact]
    public void Max_of_nothing_is_zero() => Assert.Equal(0, MetricAggregator.Aggregate(Metric(Aggregation.Max, "tokens"), []));

    [Fact]
    public void Unique_count_counts_distinct_values_across_batches()
    {
        var accumulator = new MetricAggregator.Accumulator(Metric(Aggregation.UniqueCount, "user"));
        foreach (var e in Calls.Take(2))
        {
            accumulator.Add(e);
        }

        Assert.Equal(2, accumulator.Value);
        foreach (var e in Calls.Skip(2))
        {
            accumulator.Add(e);
        }

        // ann appears in both batches but counts once: ann, bob, cid.
        Assert.Equal(3, accumulator.Value);
    }

    [Fact]
    public void Unique_count_treats_5_and_5_point_0_as_one_value() =>
        Assert.Equal(1, MetricAggregator.Aggregate(Metric(Aggregation.UniqueCount, "seat"), [E("a", 0, ("seat", 5)), E("b", 1, ("seat", 5.0m))]));

    [Fact]
    public void Latest_takes_the_value_of_the_latest_event_whatever_the_arrival_order()
    {
        var metric = Metric(Aggregation.Latest, "seats");
        MeteredEvent[] events = [E("a", 10, ("seats", 7)), E("b", 30, ("seats", 3)), E("c", 20, ("seats", 9))];

        Assert.Equal(3, MetricAggregator.Aggregate(metric, events));
        Assert.Equal(3, MetricAggregator.Aggregate(metric, events.Reverse()));
    }

    [Fact]
    public void Latest_breaks_a_tie_on_occurred_at_by_the_greater_event_id()
    {
        var metric = Metric(Aggregation.Latest, "seats");
        MeteredEvent[] events = [E("evt-b", 10, ("seats", 2)), E("evt-a", 10, ("seats", 8))];

        Assert.Equal(2, MetricAggregator.Aggregate(metric, events));
        Assert.Equal(2, MetricAggregator.Aggregate(metric, events.Reverse()));
    }

    [Fact]
    public void An_equals_filter_keeps_only_matching_events() =>
        Assert.Equal(150.5m, MetricAggregator.Aggregate(Metric(Aggregation.Sum, "tokens", new MetricFilter("region", FilterOperator.Equals, ["eu"])), Calls));

    [Fact]
    public void An_in_filter_keeps_events_matching_any_value() =>
        Assert.Equal(3, MetricAggregator.Aggregate(Metric(Aggregation.Count, null, new MetricFilter("region", FilterOperator.In, ["eu", "ap"])), Calls));

    [Fact]
    public void Events_without_the_filtered_property_do_not_match() =>
        Assert.Equal(0, MetricAggregator.Aggregate(Metric(Aggregation.Count, null, new MetricFilter("plan", FilterOperator.Equals, ["pro"])), Calls));

    [Theory]
    [InlineData("api_calls", true)]
    [InlineData("tokens.in", true)]
    [InlineData("Api", false)]
    [InlineData("1st", false)]
    [InlineData("", false)]
    public void Metric_codes_are_lowercase_identifiers(string code, bool valid) => Assert.Equal(valid, BillableMetric.IsValidCode(code));

    [Fact]
    public void A_metric_in_use_cannot_change_its_aggregation()
    {
        var metric = Metric(Aggregation.Sum, "tokens");

        metric.Change("Renamed", Aggregation.Sum, "tokens", [], inUse: true);
        var error = Assert.Throws<InvalidOperationException>(() => metric.Change("Renamed", Aggregation.Max, "tokens", [], inUse: true));

        Assert.Equal("Renamed", metric.Name);
        Assert.Contains("cannot change", error.Message, StringComparison.Ordinal);
    }
}
