using System.Text.RegularExpressions;

namespace Neruba.Domain.Metering;

public enum Aggregation
{
    /// <summary>How many events.</summary>
    Count = 1,

    /// <summary>Total of a numeric property.</summary>
    Sum = 2,

    /// <summary>Largest value of a numeric property.</summary>
    Max = 3,

    /// <summary>How many distinct values a property took.</summary>
    UniqueCount = 4,

    /// <summary>The value of a numeric property on the latest event (by occurred-at).</summary>
    Latest = 5,
}

public enum FilterOperator
{
    Equals = 1,
    In = 2,
}

/// <summary>Only events whose property matches take part in the metric.</summary>
public sealed record MetricFilter(string Property, FilterOperator Operator, IReadOnlyList<string> Values);

/// <summary>
/// What a project bills usage by: an aggregation of one property over a period's events, with optional
/// filters. The code is what events name; once events use the metric its aggregation cannot change.
/// </summary>
public sealed partial class BillableMetric
{
    public const int MaxCodeLength = 50;
    public const int MaxNameLength = 100;
    public const int MaxPropertyLength = 50;

    public Guid Id { get; private set; }
    public Guid ProjectId { get; private set; }
    public string Code { get; private set; } = "";
    public string Name { get; private set; } = "";
    public Aggregation Aggregation { get; private set; }

    /// <summary>The property aggregated; none for <see cref="Aggregation.Count"/>.</summary>
    public string? Property { get; private set; }

    public IReadOnlyList<MetricFilter> Filters { get; private set; } = [];
    public DateTimeOffset CreatedAt { get; private set; }

    private BillableMetric() { }

    public BillableMetric(Guid id, Guid projectId, string code, string name, Aggregation aggregation, string? property,
        IReadOnlyList<MetricFilter> filters, DateTimeOffset createdAt)
    {
        if (!IsValidCode(code))
        {
            throw new ArgumentException("A metric code is 1 to 50 lowercase letters, digits, '_', '.' or '-', starting with a letter.", nameof(code));
        }

        Id = id;
        ProjectId = projectId;
        Code = code;
        CreatedAt = createdAt;
        Change(name, aggregation, property, filters, inUse: false);
    }

    public bool NeedsProperty => Aggregation != Aggregation.Count;

    /// <summary>Sum, max and latest read numbers; unique count accepts any scalar.</summary>
    public bool NeedsNumber => Aggregation is Aggregation.Sum or Aggregation.Max or Aggregation.Latest;

    public static bool IsValidCode(string? code) => code is { Length: > 0 and <= MaxCodeLength } && CodePattern().IsMatch(code);

    /// <summary>Changes the metric. When events already use it, its aggregation and property are fixed.</summary>
    public void Change(string name, Aggregation aggregation, string? property, IReadOnlyList<MetricFilter> filters, bool inUse)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (inUse && (aggregation != Aggregation || !string.Equals(property, Property, StringComparison.Ordinal)))
        {
            throw new InvalidOperationException($"Metric '{Code}' already has events: its aggregation and property cannot change. Create a new metric instead.");
        }

        if (aggregation != Aggregation.Count && string.IsNullOrWhiteSpace(property))
        {
            throw new ArgumentException($"A {aggregation} metric needs the property it aggregates.", nameof(property));
        }

        Name = name.Trim();
        Aggregation = aggregation;
        Property = aggregation == Aggregation.Count ? null : property!.Trim();
        Filters = filters;
    }

    [GeneratedRegex("^[a-z][a-z0-9_.-]*$")]
    private static partial Regex CodePattern();
}
