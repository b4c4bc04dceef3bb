using System.Collections.Concurrent;

namespace Neruba.Console.Access;

/// <summary>
/// Counts failures per partition (a client address, a key prefix) over a sliding window and says how long a
/// partition past its limit must wait. In memory, per node. Shared by sign-in and API-key refusals.
/// </summary>
public sealed class FailureWindow(TimeProvider clock, TimeSpan window, int limit)
{
    private const int MaxPartitions = 10_000;
    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _failures = new(StringComparer.Ordinal);

    /// <summary>How long <paramref name="partition"/> must wait before it may fail again, or null when it may try now.</summary>
    public TimeSpan? WaitFor(string partition)
    {
        if (!_failures.TryGetValue(partition, out var times))
        {
            return null;
        }

        lock (times)
        {
            var now = clock.GetUtcNow();
            Forget(times, now);
            return times.Count >= limit ? times.Peek() + window - now : null;
        }
    }

    public void RecordFailure(string partition)
    {
        var now = clock.GetUtcNow();
        var times = _failures.GetOrAdd(partition, _ => new Queue<DateTimeOffset>());
        lock (times)
        {
            Forget(times, now);
            times.Enqueue(now);
        }

        if (_failures.Count > MaxPartitions)
        {
            // Partitions with nothing left in the window are dropped, so a wide scan cannot grow this without bound.
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

    private void Forget(Queue<DateTimeOffset> times, DateTimeOffset now)
    {
        while (times.Count > 0 && now - times.Peek() >= window)
        {
            times.Dequeue();
        }
    }
}
