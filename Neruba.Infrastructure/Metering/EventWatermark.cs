using Microsoft.EntityFrameworkCore;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Infrastructure.Metering;

/// <summary>
/// The id below which every usage event is committed and visible: a billing run counts events up to it,
/// and anything above it is late for the months the run finalizes.
/// <para>
/// <c>MAX(Id)</c> alone is not that on SQL Server: identities are handed out at insert, so a slow ingest
/// transaction can commit id 100 after id 101 was already visible. Each ingest transaction therefore holds
/// a shared application lock (<see cref="SqlServerIngestLockSql"/>), and the capture takes it exclusively
/// for the moment of reading the maximum: no ingest is in flight then, and every later one gets higher ids.
/// SQLite has one writer at a time and allocates rowids after the committed maximum, so it needs no lock.
/// </para>
/// </summary>
public static class EventWatermark
{
    private const string LockResource = "N'neruba:usage-events'";

    /// <summary>The first statement of every ingest transaction on SQL Server; released when the transaction ends.</summary>
    public const string SqlServerIngestLockSql = $"""
        DECLARE @granted int;
        EXEC @granted = sp_getapplock @Resource = {LockResource}, @LockMode = N'Shared', @LockOwner = N'Transaction', @LockTimeout = 30000;
        IF @granted < 0 THROW 51001, N'A billing run was taking its event watermark for too long; the events were not stored. Send them again.', 1;
        """;

    /// <summary>Waits for in-flight ingest transactions, reads the maximum id, and lets ingest go on.</summary>
    public const string SqlServerCaptureSql = $"""
        DECLARE @granted int;
        EXEC @granted = sp_getapplock @Resource = {LockResource}, @LockMode = N'Exclusive', @LockOwner = N'Session', @LockTimeout = 30000;
        IF @granted < 0 THROW 51002, N'Usage ingest did not pause within 30 seconds to take the event watermark; try again.', 1;
        BEGIN TRY
            SELECT ISNULL(MAX([Id]), 0) AS [Value] FROM [UsageEvents];
        END TRY
        BEGIN CATCH
            EXEC sp_releaseapplock @Resource = {LockResource}, @LockOwner = N'Session';
            THROW;
        END CATCH;
        EXEC sp_releaseapplock @Resource = {LockResource}, @LockOwner = N'Session';
        """;

    public static async Task<long> CaptureAsync(NerubaDbContext db, CancellationToken cancellationToken)
    {
        if (db.Database.IsSqlite())
        {
            return await db.UsageEvents.MaxAsync(e => (long?)e.Id, cancellationToken) ?? 0;
        }

        // Enumerated as written: any LINQ operator after it would wrap the batch in a SELECT, which T-SQL refuses.
        return (await db.Database.SqlQueryRaw<long>(SqlServerCaptureSql).ToListAsync(cancellationToken)).Single();
    }
}
