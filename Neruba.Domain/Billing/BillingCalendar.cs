using System.Globalization;

namespace Neruba.Domain.Billing;

/// <summary>A half-open span of whole UTC days: [Start, End).</summary>
public readonly record struct DateSpan(DateTimeOffset Start, DateTimeOffset End)
{
    public int Days => (int)((End - Start).Ticks / TimeSpan.TicksPerDay);

    public bool Contains(DateTimeOffset at) => at >= Start && at < End;

    /// <summary>Days this span shares with [from, to); an open <paramref name="to"/> runs forever.</summary>
    public int OverlapDays(DateTimeOffset from, DateTimeOffset? to)
    {
        var start = from > Start ? from : Start;
        var end = to is { } t && t < End ? t : End;
        return end > start ? (int)((end - start).Ticks / TimeSpan.TicksPerDay) : 0;
    }

    public string Label(BillingInterval interval) => interval == BillingInterval.Monthly
        ? Start.ToString("yyyy-MM", CultureInfo.InvariantCulture)
        : $"{Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} to {End.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
}

/// <summary>
/// Billing runs cover calendar months (UTC). Base fees follow the plan's interval: monthly fee periods are
/// the calendar months; yearly ones are years that start on the subscription's billing anchor (the first
/// day of a month), extended backwards so a start before the anchor falls in a partial, prorated year.
/// </summary>
public static class BillingCalendar
{
    public static DateSpan Month(DateTimeOffset periodStart)
    {
        if (!IsMonthStart(periodStart))
        {
            throw new ArgumentException("A billing period starts on the first day of a month at 00:00 UTC.", nameof(periodStart));
        }

        return new DateSpan(periodStart, periodStart.AddMonths(1));
    }

    public static DateTimeOffset MonthStartOf(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero);
    }

    public static bool IsMonthStart(DateTimeOffset at) => at.Offset == TimeSpan.Zero && at.Day == 1 && at.TimeOfDay == TimeSpan.Zero;

    public static bool IsDayStart(DateTimeOffset at) => at.Offset == TimeSpan.Zero && at.TimeOfDay == TimeSpan.Zero;

    /// <summary>The fee period that contains <paramref name="at"/>.</summary>
    public static DateSpan FeePeriodContaining(BillingInterval interval, DateTimeOffset anchor, DateTimeOffset at)
    {
        if (interval == BillingInterval.Monthly)
        {
            var start = MonthStartOf(at);
            return new DateSpan(start, start.AddMonths(1));
        }

        var years = at.Year - anchor.Year;
        var yearStart = anchor.AddYears(years);
        if (yearStart > at)
        {
            yearStart = anchor.AddYears(years - 1);
        }

        return new DateSpan(yearStart, yearStart.AddYears(1));
    }
}
