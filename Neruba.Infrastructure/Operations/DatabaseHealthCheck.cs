using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Neruba.Infrastructure.Configuration;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Infrastructure.Operations;

/// <summary>
/// Ready only when the database can be opened and written now, and every migration this build knows is applied.
/// Each check opens its own unpooled connection (a pooled one keeps working on a deleted or replaced file) and
/// writes one row back to itself in a transaction it rolls back. The answer is anonymous, so it gives a short
/// reason; the exception goes to the log.
/// </summary>
internal sealed partial class DatabaseHealthCheck(IDbContextFactory<NerubaDbContext> dbFactory, NerubaSettings settings, ILogger<DatabaseHealthCheck> logger)
    : IHealthCheck
{
    /// <summary>Rewrites one migration row with its own value: needs the write lock and a writable file, changes nothing.</summary>
    internal const string SqliteWriteProbe =
        "UPDATE \"__EFMigrationsHistory\" SET \"ProductVersion\" = \"ProductVersion\" WHERE \"MigrationId\" = (SELECT MIN(\"MigrationId\") FROM \"__EFMigrationsHistory\")";

    internal const string SqlServerWriteProbe =
        "UPDATE [__EFMigrationsHistory] SET [ProductVersion] = [ProductVersion] WHERE [MigrationId] = (SELECT MIN([MigrationId]) FROM [__EFMigrationsHistory])";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await ProbeWriteAsync(cancellationToken);
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            if (pending.Count == 0)
            {
                return HealthCheckResult.Healthy("The database is writable and fully migrated.");
            }

            // The names tell which version is deployed: logged for the operator, not put in the anonymous answer.
            LogPending(pending.Count, string.Join(", ", pending));
            return HealthCheckResult.Unhealthy($"{pending.Count} migration(s) not applied.");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A health check reports every failure instead of throwing it.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogCheckFailed(exception);
            return HealthCheckResult.Unhealthy("The database cannot be opened or written.");
        }
    }

    private async Task ProbeWriteAsync(CancellationToken cancellationToken)
    {
        await using var connection = OpenFresh();
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = settings.IsEmbedded ? SqliteWriteProbe : SqlServerWriteProbe;
        command.CommandTimeout = ProbeTimeoutSeconds;
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.RollbackAsync(cancellationToken);
    }

    /// <summary>Waits this long for a busy writer before calling the database unready.</summary>
    private const int ProbeTimeoutSeconds = 10;

    private DbConnection OpenFresh()
    {
        if (!settings.IsEmbedded)
        {
            return new SqlConnection(new SqlConnectionStringBuilder(settings.ConnectionString) { Pooling = false }.ConnectionString);
        }

        var sqlite = new SqliteConnectionStringBuilder(settings.ConnectionString) { Pooling = false, DefaultTimeout = ProbeTimeoutSeconds };
        if (sqlite.Mode == SqliteOpenMode.ReadWriteCreate)
        {
            // A missing file is a failure to report, not an empty database to create.
            sqlite.Mode = SqliteOpenMode.ReadWrite;
        }

        return new SqliteConnection(sqlite.ConnectionString);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Readiness: the database check failed")]
    private partial void LogCheckFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Readiness: {Count} migration(s) not applied: {Names}")]
    private partial void LogPending(int count, string names);
}
