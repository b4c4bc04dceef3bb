namespace Neruba.Domain.Metering;

/// <summary>
/// Usage periods are calendar months in UTC until subscriptions bring their own billing anchors.
/// An event is late when it arrives after its period's end plus the project's grace period.
/// </summary>
public static class UsagePeriods
{
    public static DateTimeOffset StartOf(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero);
    }

    public static DateTimeOffset EndOf(DateTimeOffset periodStart) => periodStart.AddMonths(1);

    public static bool IsLate(DateTimeOffset occurredAt, DateTimeOffset receivedAt, TimeSpan grace) =>
        receivedAt > EndOf(StartOf(occurredAt)) + grace;
}
