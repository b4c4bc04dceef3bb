using Microsoft.Data.SqlClient;
using Microsoft.Extensions.Logging;
using Neruba.Infrastructure.Configuration;

namespace Neruba.Infrastructure.Startup;

/// <summary>
/// Server mode: waits for SQL Server at start, retrying with backoff (1, 2, 4… s, at most 15 s apart) for
/// <c>Neruba:Database:StartupWaitSeconds</c>, because containers often start before their database. Then stops the app with one sentence
/// that names the server (never the password) and the setting, instead of a stack trace.
/// </summary>
internal static partial class DatabaseStartup
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(15);

    public static async Task WaitUntilReachableAsync(NerubaSettings settings, ILogger logger, CancellationToken cancellationToken)
    {
        if (settings.IsEmbedded)
        {
            return;
        }

        var server = ServerOf(settings.ConnectionString);
        var giveUpAt = TimeProvider.System.GetUtcNow().AddSeconds(settings.DatabaseStartupWaitSeconds);
        var delay = TimeSpan.FromSeconds(1);
        for (var attempt = 1; ; attempt++)
        {
            string reason;
            try
            {
                // The server's master catalogue: a database the first start is about to create counts as reachable.
                var probe = new SqlConnectionStringBuilder(settings.ConnectionString) { InitialCatalog = "master", Pooling = false };
                await using var connection = new SqlConnection(probe.ConnectionString);
                await connection.OpenAsync(cancellationToken);
                return;
            }
            catch (Exception exception) when (exception is SqlException or InvalidOperationException or TimeoutException)
            {
                reason = exception.Message;
            }

            var left = giveUpAt - TimeProvider.System.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                throw new NerubaConfigurationException(
                    $"the database server '{server}' could not be reached within {settings.DatabaseStartupWaitSeconds} s ({attempt} attempt(s); last error: "
                    + $"{FirstLine(reason)}); check Neruba:Database:ConnectionString, or wait longer with Neruba:Database:StartupWaitSeconds.");
            }

            var wait = delay < left ? delay : left;
            LogWaiting(logger, server, attempt, FirstLine(reason), wait.TotalSeconds);
            await Task.Delay(wait, cancellationToken);
            delay = delay * 2 < MaxDelay ? delay * 2 : MaxDelay;
        }
    }

    /// <summary>The server part of a connection string, never its credentials.</summary>
    public static string ServerOf(string connectionString)
    {
        try
        {
            return new SqlConnectionStringBuilder(connectionString).DataSource is { Length: > 0 } server ? server : "(no server named)";
        }
        catch (ArgumentException)
        {
            return "(unreadable connection string)";
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database server {Server} cannot be reached yet (attempt {Attempt}: {Reason}); trying again in {Seconds:0} s.")]
    private static partial void LogWaiting(ILogger logger, string server, int attempt, string reason, double seconds);
}
