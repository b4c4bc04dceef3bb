using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Infrastructure.Metering;

/// <summary>
/// Writes groups of usage events in one transaction with prepared statements. An event is keyed by its dedup key
/// (<see cref="EventDedupKeys"/>): a taken key holding the same id with the same payload hash is a duplicate, with
/// another hash a conflict, and neither writes anything; a taken key holding another id sends the event to its next key.
/// Plain ADO.NET, because this is the product's hottest path.
/// </summary>
internal sealed class UsageEventStore(IDbContextFactory<NerubaDbContext> dbFactory, Func<Guid, string, int, long> keyOf)
{
    public UsageEventStore(IDbContextFactory<NerubaDbContext> dbFactory)
        : this(dbFactory, EventDedupKeys.Of)
    {
    }

    internal const string SelectSql = """SELECT "ProjectId", "EventId", "PayloadHash" FROM "UsageEvents" WHERE "DedupKey" = @k""";

    internal const string InsertSql = """
        INSERT INTO "UsageEvents" ("DedupKey", "ProjectId", "EventId", "CustomerId", "MetricId", "OccurredAt", "ReceivedAt", "Properties", "PayloadHash", "PeriodStart", "ImportId")
        VALUES (@k, @p, @e, @c, @m, @o, @r, @props, @h, @period, @import)
        """;

    // SQLite can try the insert and skip a taken key in one statement; only skipped events need the look-up.
    private const string SqliteInsertSql = InsertSql + """ ON CONFLICT ("DedupKey") DO NOTHING""";

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

        await using var select = Command(connection, transaction, SelectSql, "@k");
        await using var insert = Command(connection, transaction, sqlite ? SqliteInsertSql : InsertSql,
            "@k", "@p", "@e", "@c", "@m", "@o", "@r", "@props", "@h", "@period", "@import");
        var results = new List<IReadOnlyList<IngestItemResult>>(group.Count);
        foreach (var batch in group)
        {
            var outcomes = new List<IngestItemResult>(batch.Events.Count);
            var project = Value(batch.ProjectId, sqlite);
            var receivedAt = Value(batch.ReceivedAt, sqlite);
            var import = batch.ImportId is { } importId ? Value(importId, sqlite) : DBNull.Value;
            foreach (var e in batch.Events)
            {
                var parameters = insert.Parameters;
                parameters[1].Value = project;
                parameters[2].Value = e.EventId;
                parameters[3].Value = Value(e.CustomerId, sqlite);
                parameters[4].Value = Value(e.MetricId, sqlite);
                parameters[5].Value = Value(e.OccurredAt, sqlite);
                parameters[6].Value = receivedAt;
                parameters[7].Value = e.Properties;
                parameters[8].Value = e.PayloadHash;
                parameters[9].Value = Value(e.PeriodStart, sqlite);
                parameters[10].Value = import;
                outcomes.Add(Store(insert, select, sqlite, batch.ProjectId, e));
            }

            results.Add(outcomes);
        }

        await transaction.CommitAsync(cancellationToken);
        return results;
    }

    /// <summary>
    /// Stores one event at the first free key of its sequence, or reports the stored event with its id. On SQLite the insert
    /// comes first (a taken key is skipped by the statement itself). On SQL Server the look-up comes first, and another node may
    /// take the key between look-up and insert: the unique index refuses only that statement (XACT_ABORT is off, so the
    /// transaction and the rest of the group go on) and the key is looked up again.
    /// </summary>
    private IngestItemResult Store(DbCommand insert, DbCommand select, bool sqlite, Guid projectId, PreparedEvent e)
    {
        for (var probe = 0; probe < EventDedupKeys.MaxProbes; probe++)
        {
            var key = keyOf(projectId, e.EventId, probe);
            insert.Parameters[0].Value = key;
            select.Parameters[0].Value = key;
            var stored = sqlite ? null : Stored(select);
            if (stored is null && TryInsert(insert))
            {
                return new IngestItemResult(e.Index, e.EventId, IngestStatus.Accepted,
                    e.IsLate ? "Accepted as a late event: its month is already invoiced, so it waits in the late backlog for a rerun." : null, e.IsLate);
            }

            stored ??= Stored(select) ?? throw new InvalidOperationException("A dedup key was taken, then not found; the group is retried.");
            if (stored.Value.ProjectId == projectId && stored.Value.EventId == e.EventId)
            {
                return stored.Value.PayloadHash == e.PayloadHash
                    ? new IngestItemResult(e.Index, e.EventId, IngestStatus.Duplicate, "Already received with the same payload; counted once.")
                    : new IngestItemResult(e.Index, e.EventId, IngestStatus.Conflict, $"Event id '{e.EventId}' was already received with a different payload; the first one stands.");
            }
        }

        throw new InvalidOperationException($"Event id '{e.EventId}' found no free dedup key in {EventDedupKeys.MaxProbes} tries.");
    }

    /// <summary>Inserts one event; false when its key is taken.</summary>
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

    /// <summary>The event stored under the key, if any.</summary>
    private static (Guid ProjectId, string EventId, string PayloadHash)? Stored(DbCommand select)
    {
#pragma warning disable CA1849 // Synchronous on purpose, see WriteAsync.
        using var reader = select.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        var project = reader.GetValue(0) is byte[] bytes ? new Guid(bytes) : reader.GetGuid(0);
        return (project, reader.GetString(1), reader.GetString(2));
#pragma warning restore CA1849
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
