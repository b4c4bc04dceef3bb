using Microsoft.Extensions.Logging;
using Neruba.Infrastructure.Ledger;

namespace Neruba.Infrastructure.Credits;

/// <summary>Recurring job: writes off the remainder of every expired credit block with an expiry entry.</summary>
public sealed partial class CreditExpiryJob(WalletWriter wallets, ILogger<CreditExpiryJob> logger)
{
    public const string RecurringJobId = "credit-expiry";
    public const string Schedule = "*/5 * * * *";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var written = await wallets.ExpireDueAsync(null, cancellationToken);
        if (written > 0)
        {
            LogExpired(written);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Credit expiry: wrote off {Count} expired credit block(s).")]
    private partial void LogExpired(int count);
}
