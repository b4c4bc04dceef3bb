using Microsoft.Extensions.Configuration;
using Neruba.Infrastructure.Configuration;

namespace Neruba.Infrastructure.Operations;

/// <summary>
/// This node's claim on long work that any node may pick up (billing runs, backfill imports): the row names
/// its owner and an expiry that a heartbeat keeps pushing ahead. Another node leaves the work alone while
/// the lease is live, and resumes it only once the lease has lapsed (its node stopped or hung).
/// </summary>
public sealed class JobLease
{
    public const int MaxOwnerLength = 200;
    public const string LeaseSecondsKey = "Neruba:Jobs:LeaseSeconds";

    private readonly TimeProvider _clock;

    public JobLease(IConfiguration configuration, TimeProvider clock)
    {
        _clock = clock;
        var seconds = configuration.GetValue(LeaseSecondsKey, 60);
        if (seconds is < 2 or > 3600)
        {
            throw new NerubaConfigurationException($"{LeaseSecondsKey} is {seconds}, but it must be from 2 to 3600 seconds.");
        }

        Duration = TimeSpan.FromSeconds(seconds);
    }

    /// <summary>Unique per process start: a restarted node does not mistake its predecessor's lease for its own.</summary>
    public string Owner { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    public TimeSpan Duration { get; }

    /// <summary>How often a holder renews (three renewals per lease, so one slow database round trip never lets it lapse).</summary>
    public TimeSpan RenewEvery => Duration / 3;

    public DateTimeOffset NextExpiry => _clock.GetUtcNow() + Duration;

    public bool IsHeldByAnother(string? owner, DateTimeOffset? expiresAt) => owner is not null && owner != Owner && expiresAt > _clock.GetUtcNow();

    /// <summary>Free to take: never leased, or its lease lapsed.</summary>
    public bool HasLapsed(DateTimeOffset? expiresAt) => expiresAt is null || expiresAt <= _clock.GetUtcNow();
}

/// <summary>
/// Renews a lease in the background while its holder works. When a renewal finds the lease taken (it had
/// lapsed and another node took it), <see cref="Token"/> is cancelled so the holder stops at once.
/// </summary>
public sealed class LeaseHeartbeat : IAsyncDisposable
{
    private readonly CancellationTokenSource _lost;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    /// <param name="renew">Pushes the expiry to the given time where this node still owns the row; returns the rows changed (0: lost).</param>
    public LeaseHeartbeat(JobLease lease, Func<DateTimeOffset, CancellationToken, Task<int>> renew, CancellationToken cancellationToken)
    {
        _lost = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _loop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(lease.RenewEvery);
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token))
                {
                    int renewed;
#pragma warning disable CA1031 // A database hiccup skips one renewal; the next tick tries again well before the lease lapses.
                    try
                    {
                        renewed = await renew(lease.NextExpiry, _stop.Token);
                    }
                    catch (Exception) when (!_stop.IsCancellationRequested)
                    {
                        continue;
                    }
#pragma warning restore CA1031

                    if (renewed == 0)
                    {
                        IsLost = true;
                        await _lost.CancelAsync();
                        return;
                    }
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                // Disposed: the holder finished.
            }
        }, CancellationToken.None);
    }

    /// <summary>Cancelled when the lease was lost (or the caller's token was).</summary>
    public CancellationToken Token => _lost.Token;

    public bool IsLost { get; private set; }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
        _lost.Dispose();
    }
}
