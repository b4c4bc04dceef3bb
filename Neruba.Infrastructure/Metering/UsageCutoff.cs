using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Neruba.Infrastructure.Metering;

/// <summary>
/// What the finalized invoices of one customer and month counted: every billable usage event of that month
/// (inside one of its <see cref="UsageCutoffWindowRecord"/>s: a subscription phase and a metric its plan
/// charges) with an id up to <see cref="EventWatermark"/>. Written by the first final invoice of the month
/// (its run's watermark) and shared by any later sibling subscription's invoice, then never changed. A
/// billable event above the watermark is late by definition: it is in the late backlog until a rerun counts
/// it. So every billable event is either counted or late, never neither and never both; an event outside
/// every window (after a cancellation, a metric the plan does not charge) is billed by no rerun either.
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

    /// <summary>False for cutoffs made before windows were recorded (the upgrade): their whole month and every metric count as billable.</summary>
    public bool HasWindows { get; set; }
}

/// <summary>Where usage is billable for a cutoff: one metric a plan version charges, during one subscription phase (within the month).</summary>
public sealed class UsageCutoffWindowRecord
{
    public long Id { get; set; }
    public long CutoffId { get; set; }
    public Guid MetricId { get; set; }
    public DateTimeOffset From { get; set; }
    public DateTimeOffset To { get; set; }
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

internal sealed class UsageCutoffWindowConfiguration : IEntityTypeConfiguration<UsageCutoffWindowRecord>
{
    public void Configure(EntityTypeBuilder<UsageCutoffWindowRecord> builder)
    {
        builder.ToTable("UsageCutoffWindows");
        builder.HasIndex(w => new { w.CutoffId, w.MetricId });
        builder.HasOne<UsageCutoffRecord>().WithMany().HasForeignKey(w => w.CutoffId).OnDelete(DeleteBehavior.Restrict);
    }
}
