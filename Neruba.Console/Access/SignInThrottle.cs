using System.Collections.Concurrent;

namespace Neruba.Console.Access;

/// <summary>
/// Counts failed sign-ins per client address over a sliding five minutes. The per-account lockout
/// stops guessing one password; this stops one address from trying many accounts.
/// </summary>
public sealed class SignInThrottle(TimeProvider clock, IConfiguration configuration)
{
    public const string SettingKey = "Neruba:SignIn:FailuresPerAddress";
    public const int DefaultFailuresPerAddress = 20;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    private readonly int _limit = Math.Max(1, configuration.GetValue(SettingKey, DefaultFailuresPerAddress));
    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _failures = new(StringComparer.Ordinal);

    /// <summary>How long the address must wait before its next attempt, or null when it may try now.</summary>
    public TimeSpan? WaitFor(string address)
    {
        if (!_failures.TryGetValue(address, out var times))
        {
            return null;
        }

        lock (times)
        {
            var now = clock.GetUtcNow();
            Forget(times, now);
            return times.Count >= _limit ? times.Peek() + Window - now : null;
        }
    }

    public void RecordFailure(string address)
    {
        var now = clock.GetUtcNow();
        var times = _failures.GetOrAdd(address, _ => new Queue<DateTimeOffset>());
        lock (times)
        {
            Forget(times, now);
            times.Enqueue(now);
        }

        if (_failures.Count > 10_000)
        {
            // Addresses with nothing left in the window are dropped, so a wide scan cannot grow this without bound.
            foreach (var (key, queue) in _failures)
            {
                lock (queue)
                {
                    Forget(queue, now);
                    if (queue.Count == 0)
                    {
                        _failures.TryRemove(key, out _);
                    }
                }
            }
        }
    }

    private static void Forget(Queue<DateTimeOffset> times, DateTimeOffset now)
    {
        while (times.Count > 0 && now - times.Peek() >= Window)
        {
            times.Dequeue();
        }
    }
}
