using System.Globalization;
using Neruba.Domain.Money;

namespace Neruba.Console.Components.Shared.Display;

/// <summary>
/// The one way the console writes money, prices, quantities, instants and periods, so that a figure reads the same on every page.
/// Components (<see cref="Money"/>, <see cref="When"/>, <see cref="PeriodLabel"/>) wrap it; plain strings (snackbars, dialogs) call it directly.
/// </summary>
public static class ConsoleFormat
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Money(MoneyAmount amount, bool withSign = false) => (withSign && amount.Minor > 0 ? "+" : "") + amount;

    public static string Money(long minor, string currency, bool withSign = false) => Money(new MoneyAmount(minor, Currency.Of(currency)), withSign);

    /// <summary>
    /// A unit price with at least its currency's decimals, so it sits beside the line's amount at the same precision:
    /// 49 → "49.00 USD", 0.002 → "0.002 USD" (sub-cent prices keep their own decimals, never rounded away).
    /// </summary>
    public static string Price(decimal price, string currency)
    {
        var exponent = Currency.Of(currency).Exponent;
        var format = "#,0." + new string('0', exponent) + new string('#', Math.Max(0, 12 - exponent));
        // A no-break space: prices also sit inside sentences ("up to 10,000 at 0.0015 USD"), where no span keeps them together.
        return price.ToString(exponent == 0 ? "#,0.############" : format, Invariant) + "\u00a0" + currency;
    }

    public static string Quantity(decimal quantity) => quantity.ToString("#,0.############", Invariant);

    public static string Count(long count) => count.ToString("N0", Invariant);

    /// <summary>"2026-09-14 13:05" in the given zone; the zone's label is written by <see cref="ZoneLabel"/>.</summary>
    public static string Instant(DateTimeOffset at, TimeZoneInfo zone, bool withSeconds = false) =>
        TimeZoneInfo.ConvertTime(at, zone).ToString(withSeconds ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm", Invariant);

    public static string Date(DateTimeOffset at, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(at, zone).ToString("yyyy-MM-dd", Invariant);

    /// <summary>An instant with its zone in one string: "2026-09-14 13:05 UTC+2".</summary>
    public static string InstantWithZone(DateTimeOffset at, TimeZoneInfo zone) => Instant(at, zone) + " " + ZoneLabel(at, zone);

    /// <summary>"UTC", "UTC+2", "UTC+5:30": the offset in force at that instant, so summer and winter time read right.</summary>
    public static string ZoneLabel(DateTimeOffset at, TimeZoneInfo zone)
    {
        var offset = zone.GetUtcOffset(at);
        if (offset == TimeSpan.Zero)
        {
            return "UTC";
        }

        var sign = offset < TimeSpan.Zero ? "-" : "+";
        var abs = offset.Duration();
        return "UTC" + sign + abs.Hours.ToString(Invariant) + (abs.Minutes == 0 ? "" : ":" + abs.Minutes.ToString("00", Invariant));
    }

    /// <summary>A billing month ("2026-09"); periods are calendar months in UTC.</summary>
    public static string Month(DateTimeOffset periodStart) => periodStart.ToUniversalTime().ToString("yyyy-MM", Invariant);

    /// <summary>A date range "2026-09-01 – 2026-09-15" (end exclusive, shown inclusive); a whole calendar month reads as the month.</summary>
    public static string Period(DateTimeOffset start, DateTimeOffset end)
    {
        start = start.ToUniversalTime();
        end = end.ToUniversalTime();
        if (start.Day == 1 && start.TimeOfDay == TimeSpan.Zero && end == start.AddMonths(1))
        {
            return Month(start);
        }

        return Days(start, end);
    }

    /// <summary>"2026-09-01 – 2026-09-30": the first and last day of a range whose end is exclusive (UTC dates).</summary>
    public static string Days(DateTimeOffset start, DateTimeOffset end) =>
        start.ToUniversalTime().ToString("yyyy-MM-dd", Invariant) + " – " + end.ToUniversalTime().AddTicks(-1).ToString("yyyy-MM-dd", Invariant);

    /// <summary>How long something has waited, in its largest whole unit: "under a minute", "12 min", "5 h", "3 days".</summary>
    public static string Age(TimeSpan age) => age switch
    {
        { TotalMinutes: < 1 } => "under a minute",
        { TotalHours: < 1 } => ((int)age.TotalMinutes).ToString(Invariant) + " min",
        { TotalDays: < 2 } => ((int)age.TotalHours).ToString(Invariant) + " h",
        _ => ((int)age.TotalDays).ToString(Invariant) + " days",
    };

    public static TimeZoneInfo Zone(string? id) =>
        id is not null && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;
}
