using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Neruba.Infrastructure.Metering;

/// <summary>
/// What the finalized invoices of one customer and month counted: every usage event of that month with an
/// id up to <see cref="EventWatermark"/>. Written by the first final invoice of the month (its run's
/// watermark) and shared by any later sibling subscription's invoice, then never changed. An event of that
/// customer and month above the watermark is late by definition: it is in the late backlog until a rerun
/// counts it. So every stored event is either counted or late, never neither and never both.
/// </summary>
public sealed class UsageCutoffRecord
{
    public long Id { get; set; }
    public Guid ProjectId { get; set; }
    public Guid CustomerId { get; set; }
    public DateTimeOffset PeriodStart { get; set; }
    public long EventWatermark { get; set; }

    /// <summary>The run whose watermark this is.</summary>
    public Guid RunId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class UsageCutoffConfiguration : IEntityTypeConfiguration<UsageCutoffRecord>
{
    public void Configure(EntityTypeBuilder<UsageCutoffRecord> builder)
    {
        builder.ToTable("UsageCutoffs");
        // One per customer and month: two runs finalizing siblings at once cannot both set it; the loser retries and reads the winner's.
        builder.HasIndex(c => new { c.CustomerId, c.PeriodStart }).IsUnique();
        builder.HasIndex(c => new { c.ProjectId, c.PeriodStart });
    }
}
