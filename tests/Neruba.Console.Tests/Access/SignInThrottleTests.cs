using Microsoft.Extensions.Configuration;
using Neruba.Console.Access;
using Neruba.Console.Tests.Support;

namespace Neruba.Console.Tests.Access;

public class SignInThrottleTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_address_waits_until_its_oldest_failure_leaves_the_five_minute_window()
    {
        var clock = new ManualClock(Start);
        var throttle = new SignInThrottle(clock, Settings("2"));

        throttle.RecordFailure("10.0.0.1");
        clock.Advance(TimeSpan.FromMinutes(2));
        throttle.RecordFailure("10.0.0.1");

        Assert.Equal(TimeSpan.FromMinutes(3), throttle.WaitFor("10.0.0.1"));
        Assert.Null(throttle.WaitFor("10.0.0.2"));
        clock.Advance(TimeSpan.FromMinutes(3));
        Assert.Null(throttle.WaitFor("10.0.0.1"));
    }

    private static IConfiguration Settings(string failures) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [SignInThrottle.SettingKey] = failures }).Build();
}
