namespace Neruba.Infrastructure.Metering;

/// <summary>
/// The one ingest path, for the API and for backfill imports alike: check each event, store the valid ones
/// together, and report per event (accepted, duplicate, conflict or rejected with the reason). When the ingest
/// queue is full, an API request is refused (<see cref="IngestQueueFullException"/>) and an import waits for room.
/// </summary>
public sealed class IngestService(MeteringCatalog catalog, IngestWriter writer, TimeProvider clock)
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

        foreach (var stored in await writer.WriteAsync(new IngestBatch(projectId, receivedAt, importId, prepared), waitForRoom: importId is not null, cancellationToken))
        {
            results[stored.Index] = stored;
        }

        return new IngestResult(results.Select(r => r!).ToList());
    }
}
