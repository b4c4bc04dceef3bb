using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Neruba.Infrastructure.Metering;

/// <summary>
/// A stored usage event. Unique per (project, event id), kept by <see cref="DedupKey"/>; <see cref="PayloadHash"/> tells a
/// repeat of the same event (a duplicate) from a different event reusing the id (a conflict). Written once, never changed.
/// </summary>
public sealed class UsageEventRecord
{
    public long Id { get; set; }

    /// <summary>The event's key in the dedup index (see <see cref="EventDedupKeys"/>); negative on rows awaiting the start-up backfill.</summary>
    public long DedupKey { get; set; }
    public Guid ProjectId { get; set; }
    public string EventId { get; set; } = "";
    public Guid CustomerId { get; set; }
    public Guid MetricId { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>The event's properties as a JSON object, keys sorted.</summary>
    public string Properties { get; set; } = "{}";

    public string PayloadHash { get; set; } = "";

    /// <summary>The month it belongs to (UTC): with the customer, what invoices and their cutoffs are kept by.</summary>
    public DateTimeOffset PeriodStart { get; set; }

    /// <summary>How the event came in: the API, or a backfill import (its id).</summary>
    public Guid? ImportId { get; set; }
}

internal sealed class UsageEventRecordConfiguration : IEntityTypeConfiguration<UsageEventRecord>
{
    public const int MaxEventIdLength = 100;

    public void Configure(EntityTypeBuilder<UsageEventRecord> builder)
    {
        builder.ToTable("UsageEvents");
        builder.Property(e => e.EventId).HasMaxLength(MaxEventIdLength);
        builder.Property(e => e.PayloadHash).HasMaxLength(32);
        // Two indexes only, because each costs every insert: the dedup key (random, so it must be small to stay cached) and
        // (customer, month), which rating, the usage pages and the late backlog all seek; within one key the id follows in
        // both providers' index entries, so new events append at the end of their customer's month.
        builder.HasIndex(e => e.DedupKey).IsUnique();
        builder.HasIndex(e => new { e.CustomerId, e.PeriodStart });
        // No foreign keys: the ingest path has already resolved project, customer and metric, and every check costs the hottest insert.
    }
}
