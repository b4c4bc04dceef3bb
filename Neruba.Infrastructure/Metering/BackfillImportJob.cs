using System.Text;
using Microsoft.EntityFrameworkCore;
using Neruba.Infrastructure.Audit;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Infrastructure.Metering;

/// <summary>
/// Runs a backfill import through the same ingest path as the API, 1,000 events at a time, saving progress
/// after each chunk. A job that was interrupted resumes after the last saved chunk; anything it re-sends
/// is recognised as a duplicate, so nothing is counted twice.
/// </summary>
public sealed class BackfillImportJob(IDbContextFactory<NerubaDbContext> dbFactory, IngestService ingest, TimeProvider clock)
{
    public async Task RunAsync(Guid importId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var import = await db.BackfillImports.SingleAsync(b => b.Id == importId, cancellationToken);
        if (import.Status is BackfillStatus.Succeeded or BackfillStatus.Failed)
        {
            return;
        }

        var lines = BackfillFile.Read(import.FileName, import.Content).ToList();
        import.Status = BackfillStatus.Running;
        import.Total = lines.Count;
        var rejections = new StringBuilder(import.RejectionsCsv);
        if (rejections.Length == 0)
        {
            AuditCsv.AppendLine(rejections, ["line", "event_id", "status", "reason"]);
        }

        await db.SaveChangesAsync(cancellationToken);

        try
        {
            foreach (var chunk in lines.Skip(import.Processed).Chunk(IngestService.MaxEventsPerRequest))
            {
                var result = await ingest.IngestAsync(import.ProjectId, chunk.Select(l => l.Event).ToList(), import.Id, cancellationToken);
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
                await db.SaveChangesAsync(cancellationToken);
            }

            import.Status = BackfillStatus.Succeeded;
        }
        catch (IngestFailedException failure)
        {
            import.Status = BackfillStatus.Failed;
            import.Error = failure.Message;
        }

        import.FinishedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(CancellationToken.None);
    }
}
