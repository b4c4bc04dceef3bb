using System.Text;
using Hangfire;
using Microsoft.Extensions.Logging;
using Microsoft.EntityFrameworkCore;
using Neruba.Infrastructure.Audit;
using Neruba.Infrastructure.Operations;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Infrastructure.Metering;

/// <summary>
/// Runs a backfill import through the same ingest path as the API, 1,000 events at a time, saving its
/// position after each chunk. The import holds a lease while a node works on it; if that node stops, the
/// lease lapses and the watchdog (or the next start) resumes it on any node after the last saved chunk.
/// Anything re-sent is recognised as a duplicate, so nothing is counted twice.
/// </summary>
public sealed partial class BackfillImportJob(IDbContextFactory<NerubaDbContext> dbFactory, IngestService ingest, TimeProvider clock, JobLease lease,
    IBackgroundJobClient jobs, ILogger<BackfillImportJob> logger)
{
    public Task RunAsync(Guid importId, CancellationToken cancellationToken) => RunAsync(importId, stopAfterChunks: null, cancellationToken);

    /// <summary>With <paramref name="stopAfterChunks"/>, returns after that many chunks without finishing, as a killed process would (for tests).</summary>
    internal async Task RunAsync(Guid importId, int? stopAfterChunks, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var import = await db.BackfillImports.SingleAsync(b => b.Id == importId, cancellationToken);
        if (import.Status is BackfillStatus.Succeeded or BackfillStatus.Failed || lease.IsHeldByAnother(import.LeaseOwner, import.LeaseExpiresAt))
        {
            return;
        }

        var lines = BackfillFile.Read(import.FileName, import.Content).ToList();
        import.Status = BackfillStatus.Running;
        import.Total = lines.Count;
        import.LeaseOwner = lease.Owner;
        import.LeaseExpiresAt = lease.NextExpiry;
        var rejections = new StringBuilder(import.RejectionsCsv);
        if (rejections.Length == 0)
        {
            AuditCsv.AppendLine(rejections, ["line", "event_id", "status", "reason"]);
        }

        try
        {
            // The owner is a concurrency token: this save, and every progress save after it, fails once another node has taken the import over.
            await db.SaveChangesAsync(cancellationToken);
            await using var heartbeat = new LeaseHeartbeat(lease, async (until, ct) =>
            {
                await using var renewal = await dbFactory.CreateDbContextAsync(ct);
                return await renewal.BackfillImports.Where(b => b.Id == importId && b.LeaseOwner == lease.Owner)
                    .ExecuteUpdateAsync(u => u.SetProperty(b => b.LeaseExpiresAt, until), ct);
            }, cancellationToken);
            var chunks = 0;
            foreach (var chunk in lines.Skip(import.Processed).Chunk(IngestService.MaxEventsPerRequest))
            {
                if (chunks++ == stopAfterChunks)
                {
                    return;
                }

                var result = await ingest.IngestAsync(import.ProjectId, chunk.Select(l => l.Event).ToList(), import.Id, heartbeat.Token);
                foreach (var item in result.Items.Where(i => i.Status is IngestStatus.Rejected or IngestStatus.Conflict))
                {
                    AuditCsv.AppendLine(rejections,
                    [
                        chunk[item.Index].Line.ToString(System.Globalization.CultureInfo.InvariantCulture), item.EventId,
                        item.Status.ToString().ToLowerInvariant(), item.Reason,
                    ]);
                }

                import.Processed += chunk.Length;
                import.Accepted += result.Accepted;
                import.Duplicates += result.Duplicates;
                import.Rejected += result.Rejected + result.Conflicts;
                import.RejectionsCsv = rejections.ToString();
                await db.SaveChangesAsync(heartbeat.Token);
            }

            import.Status = BackfillStatus.Succeeded;
        }
        catch (IngestFailedException failure)
        {
            import.Status = BackfillStatus.Failed;
            import.Error = failure.Message;
        }
        catch (Exception exception) when (exception is DbUpdateConcurrencyException || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogTakenOver(logger, importId);
            return;
        }

        import.FinishedAt = clock.GetUtcNow();
        import.LeaseOwner = null;
        import.LeaseExpiresAt = null;
        await db.SaveChangesAsync(CancellationToken.None);
    }

    /// <summary>Re-queues imports left queued or running whose lease lapsed (or that never started within a lease): their node stopped.</summary>
    public async Task<int> ResumeInterruptedAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var queuedBefore = now - lease.Duration;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var stalled = await db.BackfillImports.AsNoTracking()
            .Where(b => (b.Status == BackfillStatus.Queued || b.Status == BackfillStatus.Running)
                && (b.LeaseExpiresAt == null ? b.CreatedAt < queuedBefore : b.LeaseExpiresAt <= now))
            .Select(b => new { b.Id, b.Processed, b.Total }).ToListAsync(cancellationToken);
        foreach (var import in stalled)
        {
            jobs.Enqueue<BackfillImportJob>(job => job.RunAsync(import.Id, CancellationToken.None));
            LogResumed(logger, import.Id, import.Processed, import.Total);
        }

        return stalled.Count;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Backfill import {ImportId}: another node took the import over after this node's lease lapsed; stopping")]
    private static partial void LogTakenOver(ILogger logger, Guid importId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Resumed backfill import {ImportId} after line {Processed} of {Total}")]
    private static partial void LogResumed(ILogger logger, Guid importId, int processed, int total);
}
