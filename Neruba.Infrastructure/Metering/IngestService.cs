using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Metering;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Infrastructure.Metering;

/// <summary>
/// The one ingest path, for the API and for backfill imports alike: check each event, store the valid ones
/// together, and report per event (accepted, duplicate, conflict or rejected with the reason). When the ingest
/// queue is full, an API request is refused (<see cref="IngestQueueFullException"/>) and an import waits for room.
/// </summary>
public sealed class IngestService(MeteringCatalog catalog, IngestWriter writer, IDbContextFactory<NerubaDbContext> dbFactory, TimeProvider clock)
{
    public const int MaxEventsPerRequest = 1_000;

    public Task<IngestResult> IngestAsync(Guid projectId, IReadOnlyList<IncomingEvent> events, Guid? importId, CancellationToken cancellationToken) =>
        IngestAsync(projectId, events, importId, clock.GetUtcNow(), cancellationToken);

    /// <summary>With an explicit arrival time: only the demo seed uses it, to lay down history that arrived on time.</summary>
    internal async Task<IngestResult> IngestAsync(Guid projectId, IReadOnlyList<IncomingEvent> events, Guid? importId, DateTimeOffset receivedAt,
        CancellationToken cancellationToken)
    {
        var project = await catalog.ProjectAsync(projectId, cancellationToken);
        await catalog.LoadCustomersAsync(projectId, events.Select(e => e.Customer).OfType<string>(), cancellationToken);
        var results = new IngestItemResult?[events.Count];
        var prepared = new List<PreparedEvent>(events.Count);
        for (var i = 0; i < events.Count; i++)
        {
            var (ready, rejection) = EventValidator.Prepare(i, events[i], projectId, catalog, project, receivedAt);
            if (ready is null)
            {
                results[i] = new IngestItemResult(i, events[i].EventId, IngestStatus.Rejected, rejection);
            }
            else
            {
                prepared.Add(ready);
            }
        }

        var batch = new IngestBatch(projectId, receivedAt, importId, await MarkLateAsync(projectId, prepared, receivedAt, cancellationToken));
        foreach (var stored in await writer.WriteAsync(batch, waitForRoom: importId is not null, cancellationToken))
        {
            results[stored.Index] = stored;
        }

        return new IngestResult(results.Select(r => r!).ToList());
    }

    /// <summary>Marks events whose customer's month is already invoiced, to tell the sender; most batches are for the current month and cost no query.</summary>
    private async Task<List<PreparedEvent>> MarkLateAsync(Guid projectId, List<PreparedEvent> events, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var currentMonth = UsagePeriods.StartOf(receivedAt);
        var past = events.Where(e => e.PeriodStart < currentMonth).Select(e => e.CustomerId).Distinct().ToList();
        if (past.Count == 0)
        {
            return events;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var invoiced = await LateUsage.InvoicedAsync(db, projectId, past, currentMonth, cancellationToken);
        // A new event's id is above every watermark: it is late wherever its month is invoiced and rating would count it.
        return events.Select(e => invoiced.TryGetValue((e.CustomerId, e.PeriodStart), out var cutoff) && cutoff.IsBillable(e.MetricId, e.OccurredAt)
            ? e with { IsLate = true } : e).ToList();
    }
}
