using System.Globalization;

namespace Neruba.Domain.Metering;

/// <summary>A property value as metering sees it: a number (exact decimal) or text.</summary>
public readonly record struct PropertyValue(decimal? Number, string? Text)
{
    public static PropertyValue Of(decimal number) => new(number, null);

    public static PropertyValue Of(string text) => new(null, text);

    public bool IsNumber => Number is not null;

    /// <summary>The value as filters and unique counts compare it: numbers in invariant form, so 5 and 5.0 are the same.</summary>
    public string Key => Number is { } n ? n.ToString("G29", CultureInfo.InvariantCulture) : Text ?? "";
}

/// <summary>One usage event as aggregation reads it.</summary>
public sealed record MeteredEvent(string EventId, DateTimeOffset OccurredAt, IReadOnlyDictionary<string, PropertyValue> Properties);
