using System.Globalization;

namespace Neruba.Tests.Shared;

/// <summary>
/// The day the suite pretends it is. <c>NERUBA_TEST_CLOCK=2026-12-31T23:50:00Z dotnet test ...</c> makes every test
/// host (and every console the end-to-end tests start) begin at that instant; unset, tests run on the real clock.
/// </summary>
public static class HarnessClock
{
    public const string Variable = "NERUBA_TEST_CLOCK";

    /// <summary>The instant each test host starts at, or null for the real clock.</summary>
    public static DateTimeOffset? Start { get; } = Parse(Environment.GetEnvironmentVariable(Variable));

    private static DateTimeOffset? Parse(string? value) =>
        string.IsNullOrWhiteSpace(value)
            ? null
            : DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
