using Microsoft.Extensions.Logging;

namespace Neruba.Infrastructure.UseCases.Idempotency;

/// <summary>Recurring job: forgets Idempotency-Keys once they are older than the retention (24 hours).</summary>
public sealed partial class IdempotencyPruneJob(IdempotencyClaims claims, ILogger<IdempotencyPruneJob> logger)
{
    public const string RecurringJobId = "idempotency-prune";
    public const string Schedule = "17 * * * *";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var pruned = await claims.PruneAsync(cancellationToken);
        if (pruned > 0)
        {
            LogPruned(pruned);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Idempotency: forgot {Count} key(s) older than the retention.")]
    private partial void LogPruned(int count);
}
