using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Infrastructure.Metering;

/// <summary>
/// Writes groups of usage events in one transaction with two prepared statements per event: look the
/// id up, insert when new. A repeated id with the same payload hash is a duplicate, with another hash a
/// conflict; neither writes anything. Plain ADO.NET, because this is the product's hottest path.
/// </summary>
internal sealed class UsageEventStore(IDbContextFactory<NerubaDbContext> dbFactory)
{
    internal const string SelectSql = """SELECT "PayloadHash" FROM "UsageEvents" WHERE "ProjectId" = @p AND "EventId" = @e""";

    internal const string InsertSql = """
        INSERT INTO "UsageEvents" ("ProjectId", "EventId", "CustomerId", "MetricId", "OccurredAt", "ReceivedAt", "Properties", "PayloadHash", "PeriodStart", "ImportId")
        VALUES (@p, @e, @c, @m, @o, @r, @props, @h, @period, @import)
        """;

    // SQLite can try the insert and skip a taken id in one statement; only skipped ids need the look-up.
    private const string SqliteInsertSql = InsertSql + """ ON CONFLICT ("ProjectId", "EventId") DO NOTHING""";

    /// <summary>Stores every batch of the group, or none of them if anything fails.</summary>
    public async Task<IReadOnlyList<IReadOnlyList<IngestItemResult>>> WriteAsync(IReadOnlyList<IngestBatch> group, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var sqlite = db.Database.IsSqlite();
        await db.Database.OpenConnectionAsync(cancellationToken);
        var connection = db.Database.GetDbConnection();
        if (sqlite)
        {
            // Inserts land all over the event indexes; a 64 MiB page cache keeps their hot pages in memory instead of re-reading them.
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA cache_size = -65536";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!sqlite)
        {
            // Holds billing runs from taking their watermark while these events are in flight (see EventWatermark).
            await using var ingestLock = Command(connection, transaction, EventWatermark.SqlServerIngestLockSql);
            await ingestLock.ExecuteNonQueryAsync(cancellationToken);
        }

        // The statements below run synchronously: SQLite does no real asynchronous I/O, and the await per event costs more than the insert.

        await using var select = Command(connection, transaction, SelectSql, "@p", "@e");
        await using var insert = Command(connection, transaction, sqlite ? SqliteInsertSql : InsertSql,
            "@p", "@e", "@c", "@m", "@o", "@r", "@props", "@h", "@period", "@import");
        var results = new List<IReadOnlyList<IngestItemResult>>(group.Count);
        foreach (var batch in group)
        {
            var outcomes = new List<IngestItemResult>(batch.Events.Count);
            var project = Value(batch.ProjectId, sqlite);
            var receivedAt = Value(batch.ReceivedAt, sqlite);
            var import = batch.ImportId is { } importId ? Value(importId, sqlite) : DBNull.Value;
            foreach (var e in batch.Events)
            {
                if (!sqlite && Existing(select, project, e) is { } known)
                {
                    outcomes.Add(known);
                    continue;
                }

                var parameters = insert.Parameters;
                parameters[0].Value = project;
                parameters[1].Value = e.EventId;
                parameters[2].Value = Value(e.CustomerId, sqlite);
                parameters[3].Value = Value(e.MetricId, sqlite);
                parameters[4].Value = Value(e.OccurredAt, sqlite);
                parameters[5].Value = receivedAt;
                parameters[6].Value = e.Properties;
                parameters[7].Value = e.PayloadHash;
                parameters[8].Value = Value(e.PeriodStart, sqlite);
                parameters[9].Value = import;
                if (!TryInsert(insert))
                {
                    outcomes.Add(Existing(select, project, e)!);
                    continue;
                }

                outcomes.Add(new IngestItemResult(e.Index, e.EventId, IngestStatus.Accepted, e.IsLate ? "Accepted as a late event: its month is already invoiced, so it waits in the late backlog for a rerun." : null, e.IsLate));
            }

            results.Add(outcomes);
        }

        await transaction.CommitAsync(cancellationToken);
        return results;
    }

    /// <summary>
    /// Inserts one event; false when its id is taken. On SQL Server another node may insert the same id between
    /// this node's look-up and its insert: the unique index refuses only that statement (XACT_ABORT is off, so the
    /// transaction and the rest of the group go on) and the event is then reported as the duplicate or conflict it is.
    /// </summary>
    private static bool TryInsert(DbCommand insert)
    {
        try
        {
#pragma warning disable CA1849 // Synchronous on purpose, see WriteAsync.
            return insert.ExecuteNonQuery() != 0;
#pragma warning restore CA1849
        }
        catch (Microsoft.Data.SqlClient.SqlException exception) when (exception.Number is 2601 or 2627)
        {
            return false;
        }
    }

    /// <summary>The outcome for an id that is already stored: a duplicate when the payload matches, else a conflict.</summary>
    private static IngestItemResult? Existing(DbCommand select, object project, PreparedEvent e)
    {
        select.Parameters[0].Value = project;
        select.Parameters[1].Value = e.EventId;
#pragma warning disable CA1849 // Synchronous on purpose, see WriteAsync.
        var existing = (string?)select.ExecuteScalar();
#pragma warning restore CA1849
        return existing is null
            ? null
            : existing == e.PayloadHash
                ? new IngestItemResult(e.Index, e.EventId, IngestStatus.Duplicate, "Already received with the same payload; counted once.")
                : new IngestItemResult(e.Index, e.EventId, IngestStatus.Conflict, $"Event id '{e.EventId}' was already received with a different payload; the first one stands.");
    }

    private static DbCommand Command(DbConnection connection, DbTransaction transaction, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    // The same representation the model gives these columns: on SQLite, event ids as 16 bytes and times as UTC ticks.
    private static object Value(Guid value, bool sqlite) => sqlite ? value.ToByteArray() : value;

    private static object Value(DateTimeOffset value, bool sqlite) => sqlite ? value.UtcTicks : value;
}
