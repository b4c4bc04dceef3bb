using Neruba.Infrastructure.Ledger;

namespace Neruba.Infrastructure.Payments;

/// <summary>
/// The one retry loop of the payment jobs: work that lost a race to another writer (a changed version, a unique key taken first, a busy
/// database) starts again from a fresh read; anything else, or a race lost too often, goes to the caller.
/// </summary>
internal static class LostRaces
{
    public const int MaxAttempts = 10;

    public static async Task RetryAsync(Func<Task> work, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await work();
                return;
            }
            catch (Exception exception) when (attempt < MaxAttempts && WalletWriter.IsLostRace(exception))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 50 * attempt)), cancellationToken);
            }
        }
    }
}
