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
    private const string SelectSql = """SELECT "PayloadHash" FROM "UsageEvents" WHERE "ProjectId" = @p AND "EventId" = @e""";

    private const string InsertSql = """
        INSERT INTO "UsageEvents" ("ProjectId", "EventId", "CustomerId", "MetricId", "OccurredAt", "ReceivedAt", "Properties", "PayloadHash", "IsLate", "PeriodStart", "ImportId")
        VALUES (@p, @e, @c, @m, @o, @r, @props, @h, @late, @period, @import)
        """;

    /// <summary>Stores every batch of the group, or none of them if anything fails.</summary>
    public async Task<IReadOnlyList<IReadOnlyList<IngestItemResult>>> WriteAsync(IReadOnlyList<IngestBatch> group, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var sqlite = db.Database.IsSqlite();
        await db.Database.OpenConnectionAsync(cancellationToken);
        var connection = db.Database.GetDbConnection();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        await using var select = Command(connection, transaction, SelectSql, "@p", "@e");
        await using var insert = Command(connection, transaction, InsertSql, "@p", "@e", "@c", "@m", "@o", "@r", "@props", "@h", "@late", "@period", "@import");
        var results = new List<IReadOnlyList<IngestItemResult>>(group.Count);
        foreach (var batch in group)
        {
            var outcomes = new List<IngestItemResult>(batch.Events.Count);
            foreach (var e in batch.Events)
            {
                select.Parameters[0].Value = Value(batch.ProjectId, sqlite);
                select.Parameters[1].Value = e.EventId;
                var existing = (string?)await select.ExecuteScalarAsync(cancellationToken);
                if (existing is not null)
                {
                    outcomes.Add(existing == e.PayloadHash
                        ? new IngestItemResult(e.Index, e.EventId, IngestStatus.Duplicate, "Already received with the same payload; counted once.")
                        : new IngestItemResult(e.Index, e.EventId, IngestStatus.Conflict,
                            $"Event id '{e.EventId}' was already received with a different payload; the first one stands."));
                    continue;
                }

                object?[] values =
                [
                    Value(batch.ProjectId, sqlite), e.EventId, Value(e.CustomerId, sqlite), Value(e.MetricId, sqlite), Value(e.OccurredAt, sqlite),
                    Value(batch.ReceivedAt, sqlite), e.Properties, e.PayloadHash, e.IsLate, Value(e.PeriodStart, sqlite),
                    batch.ImportId is { } import ? Value(import, sqlite) : DBNull.Value,
                ];
                for (var i = 0; i < values.Length; i++)
                {
                    insert.Parameters[i].Value = values[i];
                }

                await insert.ExecuteNonQueryAsync(cancellationToken);
                outcomes.Add(new IngestItemResult(e.Index, e.EventId, IngestStatus.Accepted, e.IsLate ? "Accepted as a late event: its period is already closed." : null, e.IsLate));
            }

            results.Add(outcomes);
        }

        await transaction.CommitAsync(cancellationToken);
        return results;
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

    // The same representation EF Core uses for these columns: SQLite keeps GUIDs as upper-case text and times as UTC ticks.
    private static object Value(Guid value, bool sqlite) => sqlite ? value.ToString().ToUpperInvariant() : value;

    private static object Value(DateTimeOffset value, bool sqlite) => sqlite ? value.UtcTicks : value;
}
