namespace Neruba.Domain.Metering;

/// <summary>
/// Usage periods are calendar months in UTC until subscriptions bring their own billing anchors.
/// Whether an event is late is not a matter of time: it is late when its month's invoice did not count it.
/// </summary>
public static class UsagePeriods
{
    public static DateTimeOffset StartOf(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero);
    }

    public static DateTimeOffset EndOf(DateTimeOffset periodStart) => periodStart.AddMonths(1);
}
