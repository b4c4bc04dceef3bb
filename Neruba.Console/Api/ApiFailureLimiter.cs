using System.Collections.Concurrent;

namespace Neruba.Console.Api;

/// <summary>
/// Slows down key guessing: a client address with too many refused API requests in a minute is
/// answered 429 until the minute is over, before its key is even looked at.
/// </summary>
public sealed class ApiFailureLimiter(TimeProvider clock, IConfiguration configuration)
{
    public const string SettingKey = "Neruba:Api:RefusalsPerMinute";
    public const int DefaultMaxFailuresPerWindow = 20;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly int _maxFailures = configuration.GetValue(SettingKey, DefaultMaxFailuresPerWindow);

    private readonly ConcurrentDictionary<string, (DateTimeOffset Start, int Failures)> _clients = new(StringComparer.Ordinal);

    /// <summary>How long the client must wait, or null when it may try.</summary>
    public TimeSpan? RetryAfter(string client)
    {
        var now = clock.GetUtcNow();
        if (_clients.TryGetValue(client, out var entry) && now - entry.Start < Window && entry.Failures >= _maxFailures)
        {
            return Window - (now - entry.Start);
        }

        return null;
    }

    public void RecordFailure(string client)
    {
        var now = clock.GetUtcNow();
        _clients.AddOrUpdate(client, _ => (now, 1), (_, entry) => now - entry.Start >= Window ? (now, 1) : (entry.Start, entry.Failures + 1));
        if (_clients.Count > 10_000)
        {
            // Forget old windows so a scan from many addresses cannot grow this without bound.
            foreach (var stale in _clients.Where(c => now - c.Value.Start >= Window).Select(c => c.Key).ToList())
            {
                _clients.TryRemove(stale, out _);
            }
        }
    }
}
