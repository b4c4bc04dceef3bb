using System.Text.Json;

namespace Neruba.Infrastructure.Metering;

/// <summary>One event as a client sent it, before any checks. Fields are raw so each problem can be named.</summary>
public sealed record IncomingEvent(string? EventId, string? Customer, string? Metric, string? OccurredAt, JsonElement? Properties, string? ParseError = null);

public enum IngestStatus
{
    Accepted,
    Duplicate,
    Conflict,
    Rejected,
}

/// <summary>What happened to one event of a request, at the same position as in the request.</summary>
public sealed record IngestItemResult(int Index, string? EventId, IngestStatus Status, string? Reason, bool Late = false);

public sealed record IngestResult(IReadOnlyList<IngestItemResult> Items)
{
    public int Accepted => Items.Count(i => i.Status == IngestStatus.Accepted);
    public int Duplicates => Items.Count(i => i.Status == IngestStatus.Duplicate);
    public int Conflicts => Items.Count(i => i.Status == IngestStatus.Conflict);
    public int Rejected => Items.Count(i => i.Status == IngestStatus.Rejected);
    public int Late => Items.Count(i => i.Late);
}

/// <summary>
/// A checked event, ready to store: resolved ids, canonical properties and the hash that identifies its payload.
/// <see cref="IsLate"/>: its customer's month is already invoiced, so it goes to the late backlog (only reported; lateness itself is read from the cutoffs).
/// </summary>
public sealed record PreparedEvent(int Index, string EventId, Guid CustomerId, Guid MetricId, DateTimeOffset OccurredAt, string Properties,
    string PayloadHash, DateTimeOffset PeriodStart, bool IsLate = false);

/// <summary>Everything one request (or one import chunk) asks the writer to store together.</summary>
public sealed record IngestBatch(Guid ProjectId, DateTimeOffset ReceivedAt, Guid? ImportId, IReadOnlyList<PreparedEvent> Events);
