using Microsoft.Extensions.Configuration;
using Neruba.Infrastructure.Configuration;

namespace Neruba.Infrastructure.Tests.Configuration;

public class ShiftedClockTests
{
    [Fact]
    public void Without_the_setting_the_real_clock_applies()
    {
        Assert.Null(ShiftedClock.FromConfiguration(Config(null)));
        Assert.Null(ShiftedClock.FromConfiguration(Config(" ")));
    }

    [Fact]
    public void The_clock_starts_at_the_configured_instant_and_moves_forward_with_real_time()
    {
        var clock = ShiftedClock.FromConfiguration(Config("2026-12-31T23:50:00+01:00"))!;

        var first = clock.GetUtcNow();
        var second = clock.GetUtcNow();

        Assert.Equal(new DateTimeOffset(2026, 12, 31, 22, 50, 0, TimeSpan.Zero), clock.Start);
        Assert.InRange(first, clock.Start, clock.Start.AddHours(1));
        Assert.True(second >= first, "the clock never goes back");
    }

    [Theory]
    [InlineData("2026-12-31T23:50:00")]
    [InlineData("2026-12-31")]
    [InlineData("tomorrow")]
    public void An_instant_without_a_zone_stops_start_with_a_sentence_naming_the_key(string value)
    {
        var error = Assert.Throws<NerubaConfigurationException>(() => ShiftedClock.FromConfiguration(Config(value)));

        Assert.Contains(ShiftedClock.SettingKey, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Server_mode_refuses_a_shifted_clock()
    {
        var error = Assert.Throws<NerubaConfigurationException>(() => ShiftedClock.FromConfiguration(Config("2026-12-31T23:50:00Z"), isEmbedded: false));

        Assert.Contains("embedded mode only", error.Message, StringComparison.Ordinal);
    }

    private static IConfiguration Config(string? value) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [ShiftedClock.SettingKey] = value }).Build();
}
