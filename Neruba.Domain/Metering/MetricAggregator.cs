namespace Neruba.Domain.Metering;

/// <summary>
/// Aggregates a period's events for one metric. Pure and order-independent: the same events give the
/// same value in any order, so it can be fed one batch at a time (<see cref="Accumulator"/>).
/// </summary>
public static class MetricAggregator
{
    public static decimal Aggregate(BillableMetric metric, IEnumerable<MeteredEvent> events)
    {
        var accumulator = new Accumulator(metric);
        foreach (var e in events)
        {
            accumulator.Add(e);
        }

        return accumulator.Value;
    }

    public static bool Matches(BillableMetric metric, MeteredEvent e) =>
        metric.Filters.All(filter => e.Properties.TryGetValue(filter.Property, out var value) && filter.Operator switch
        {
            FilterOperator.Equals => filter.Values.Count > 0 && filter.Values[0] == value.Key,
            FilterOperator.In => filter.Values.Contains(value.Key, StringComparer.Ordinal),
            _ => false,
        });

    /// <summary>Running aggregation; events that fail the filters, or lack a usable value, do not count.</summary>
    public sealed class Accumulator(BillableMetric metric)
    {
        private readonly HashSet<string> _unique = new(StringComparer.Ordinal);
        private long _count;
        private decimal _sum;
        private decimal? _max;
        private (DateTimeOffset At, string EventId, decimal Value)? _latest;

        public void Add(MeteredEvent e)
        {
            if (!Matches(metric, e))
            {
                return;
            }

            if (metric.Aggregation == Aggregation.Count)
            {
                _count++;
                return;
            }

            if (!e.Properties.TryGetValue(metric.Property!, out var value))
            {
                return;
            }

            switch (metric.Aggregation)
            {
                case Aggregation.UniqueCount:
                    _unique.Add(value.Key);
                    break;
                case Aggregation.Sum when value.Number is { } n:
                    _sum += n;
                    break;
                case Aggregation.Max when value.Number is { } n:
                    _max = _max is { } m ? Math.Max(m, n) : n;
                    break;
                case Aggregation.Latest when value.Number is { } n:
                    // Latest by occurred-at; on a tie the greater event id wins, so the answer never depends on arrival order.
                    if (_latest is not { } current || e.OccurredAt > current.At
                        || (e.OccurredAt == current.At && string.CompareOrdinal(e.EventId, current.EventId) > 0))
                    {
                        _latest = (e.OccurredAt, e.EventId, n);
                    }

                    break;
            }
        }

        public decimal Value => metric.Aggregation switch
        {
            Aggregation.Count => _count,
            Aggregation.Sum => _sum,
            Aggregation.Max => _max ?? 0,
            Aggregation.UniqueCount => _unique.Count,
            Aggregation.Latest => _latest?.Value ?? 0,
            _ => 0,
        };
    }
}
