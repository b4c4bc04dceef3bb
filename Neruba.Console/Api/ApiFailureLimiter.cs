using System.Collections.Concurrent;
using Neruba.Infrastructure.Access.ApiKeys;

namespace Neruba.Console.Api;

/// <summary>
/// Slows down key guessing without punishing good clients. Refusals are counted per partition: the
/// presented key's public prefix for well-formed <c>nrb_</c> keys, and the client address for everything
/// else and across all prefixes. A partition with too many refused requests in a minute is answered 429
/// until the minute is over. The address partition never blocks a valid key (see <see cref="ApiKeyAuthentication"/>).
/// </summary>
public sealed class ApiFailureLimiter(TimeProvider clock, IConfiguration configuration)
{
    public const string SettingKey = "Neruba:Api:RefusalsPerMinute";
    public const int DefaultMaxFailuresPerWindow = 20;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly int _maxFailures = configuration.GetValue(SettingKey, DefaultMaxFailuresPerWindow);

    private readonly ConcurrentDictionary<string, (DateTimeOffset Start, int Failures)> _clients = new(StringComparer.Ordinal);

    /// <summary>The partition of refusals with one key prefix, whichever address they come from.</summary>
    public static string KeyPartition(string presentedSecret) => "key:" + ApiKeySecrets.PrefixOf(presentedSecret);

    /// <summary>The partition of every refusal from one client address (after trusted proxies).</summary>
    public static string AddressPartition(HttpContext http) => "address:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown");

    /// <summary>How long the partition must wait, or null when it may try.</summary>
    public TimeSpan? RetryAfter(string partition)
    {
        var now = clock.GetUtcNow();
        if (_clients.TryGetValue(partition, out var entry) && now - entry.Start < Window && entry.Failures >= _maxFailures)
        {
            return Window - (now - entry.Start);
        }

        return null;
    }

    public void RecordFailure(string partition)
    {
        var now = clock.GetUtcNow();
        _clients.AddOrUpdate(partition, _ => (now, 1), (_, entry) => now - entry.Start >= Window ? (now, 1) : (entry.Start, entry.Failures + 1));
        if (_clients.Count > 10_000)
        {
            // Forget old windows so a scan from many addresses or prefixes cannot grow this without bound.
            foreach (var stale in _clients.Where(c => now - c.Value.Start >= Window).Select(c => c.Key).ToList())
            {
                _clients.TryRemove(stale, out _);
            }
        }
    }
}
