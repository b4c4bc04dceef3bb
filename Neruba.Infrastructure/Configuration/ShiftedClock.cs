using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace Neruba.Infrastructure.Configuration;

/// <summary>
/// A clock that reads a chosen instant when it is created and then advances with real elapsed time.
/// Only a test harness sets <see cref="SettingKey"/>: it lets the suite run "on" the 1st of a month or
/// on 31 December whatever day the machine is on, with everything that asks DI for a
/// <see cref="TimeProvider"/> (billing runs, lateness, demo seed, sign-in cookies, Identity) agreeing on "now".
/// </summary>
public sealed partial class ShiftedClock : TimeProvider
{
    public const string SettingKey = "Neruba:Testing:ClockStartUtc";

    private readonly TimeProvider _real;
    private readonly long _startedAt;

    public ShiftedClock(DateTimeOffset start, TimeProvider real)
    {
        Start = start.ToUniversalTime();
        _real = real;
        _startedAt = real.GetTimestamp();
    }

    /// <summary>What the clock read when it was created.</summary>
    public DateTimeOffset Start { get; }

    public override DateTimeOffset GetUtcNow() => Start + _real.GetElapsedTime(_startedAt);

    /// <summary>
    /// The shifted clock when <see cref="SettingKey"/> is set, else null (the real clock applies). Refused in server mode: nodes there
    /// share one database, and a node living on another day would finalize months that have not ended and hold leases for days.
    /// </summary>
    public static ShiftedClock? FromConfiguration(IConfiguration configuration, bool isEmbedded = true)
    {
        var value = configuration[SettingKey];
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (!isEmbedded)
        {
            throw new NerubaConfigurationException($"{SettingKey} is set, but it is for test harnesses in embedded mode only; remove it in server mode.");
        }

        // A zone is required so that "midnight" is never read in the machine's local time.
        if (!WithZone().IsMatch(value) || !DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var start))
        {
            throw new NerubaConfigurationException($"{SettingKey} is '{value}', but it must be an instant with a zone, such as 2026-12-31T23:50:00Z.");
        }

        return new ShiftedClock(start, System);
    }

    [GeneratedRegex(@"^\s*\d{4}-\d{2}-\d{2}T[^\s]+(Z|[+-]\d{2}:\d{2})\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex WithZone();
}
