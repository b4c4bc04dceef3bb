using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Infrastructure.Metering;

/// <summary>
/// Gives events stored before dedup keys existed (migration UsageEventDedupKeys left them a negative placeholder) their
/// real key, at start-up before anything is ingested: until then a resent old event would not be recognised.
/// Runs in chunks, each one transaction, so a stop half-way loses nothing and the next start carries on.
/// </summary>
internal static class EventDedupKeyBackfill
{
    private const int Chunk = 5_000;

    /// <summary>Returns how many rows got their key.</summary>
    public static async Task<long> RunAsync(NerubaDbContext db, CancellationToken cancellationToken) =>
        await RunAsync(db, EventDedupKeys.Of, cancellationToken);

    internal static async Task<long> RunAsync(NerubaDbContext db, Func<Guid, string, int, long> keyOf, CancellationToken cancellationToken)
    {
        long done = 0;
        while (true)
        {
            var rows = await db.UsageEvents.AsNoTracking().Where(e => e.DedupKey < 0).OrderBy(e => e.Id).Take(Chunk)
                .Select(e => new { e.Id, e.ProjectId, e.EventId }).ToListAsync(cancellationToken);
            if (rows.Count == 0)
            {
                return done;
            }

            await db.Database.OpenConnectionAsync(cancellationToken);
            var connection = db.Database.GetDbConnection();
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var update = connection.CreateCommand();
            update.Transaction = transaction;
            update.CommandText = "UPDATE UsageEvents SET DedupKey = @k WHERE Id = @id";
            var key = Parameter(update, "@k");
            var id = Parameter(update, "@id");
            foreach (var row in rows)
            {
                id.Value = row.Id;
                for (var probe = 0; ; probe++)
                {
                    key.Value = keyOf(row.ProjectId, row.EventId, probe);
                    if (await TryUpdateAsync(update, cancellationToken))
                    {
                        break;
                    }

                    if (probe + 1 == EventDedupKeys.MaxProbes)
                    {
                        throw new InvalidOperationException($"Usage event {row.Id} found no free dedup key in {EventDedupKeys.MaxProbes} tries.");
                    }
                }
            }

            await transaction.CommitAsync(cancellationToken);
            await db.Database.CloseConnectionAsync();
            done += rows.Count;
        }
    }

    /// <summary>False when another event already holds the key (a collision: the row tries its next probe).</summary>
    private static async Task<bool> TryUpdateAsync(DbCommand update, CancellationToken cancellationToken)
    {
        try
        {
            return await update.ExecuteNonQueryAsync(cancellationToken) == 1;
        }
        catch (SqliteException exception) when (exception.SqliteErrorCode == 19)
        {
            return false;
        }
        catch (Microsoft.Data.SqlClient.SqlException exception) when (exception.Number is 2601 or 2627)
        {
            return false;
        }
    }

    private static DbParameter Parameter(DbCommand command, string name)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        command.Parameters.Add(parameter);
        return parameter;
    }
}
