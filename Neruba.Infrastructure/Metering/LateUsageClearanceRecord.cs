using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Neruba.Infrastructure.Metering;

public enum LateUsageClearanceSource
{
    /// <summary>A committed rerun billed the late events.</summary>
    RerunCommit = 1,

    /// <summary>Finance judged the difference not worth correcting, with a reason.</summary>
    Dismissed = 2,

    /// <summary>A voided invoice was reissued from current usage, late events included.</summary>
    Reissued = 3,
}

/// <summary>
/// A customer's invoiced month reviewed up to <see cref="Watermark"/>: its late events up to that id are settled (billed by a committed
/// rerun, or dismissed) and leave the backlog. A fact: the finalized cutoff itself never changes.
/// </summary>
public sealed class LateUsageClearanceRecord
{
    public const int MaxReasonLength = 1000;

    public Guid Id { get; set; }
    public Guid ProjectId { get; set; }
    public Guid CustomerId { get; set; }
    public DateTimeOffset PeriodStart { get; set; }
    public long Watermark { get; set; }
    public LateUsageClearanceSource Source { get; set; }
    public Guid? RunId { get; set; }
    public string Reason { get; set; } = "";
    public string ActorName { get; set; } = "";
    public DateTimeOffset At { get; set; }
}

internal sealed class LateUsageClearanceConfiguration : IEntityTypeConfiguration<LateUsageClearanceRecord>
{
    public void Configure(EntityTypeBuilder<LateUsageClearanceRecord> builder)
    {
        builder.ToTable("LateUsageClearances");
        builder.Property(c => c.Source).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.Reason).HasMaxLength(LateUsageClearanceRecord.MaxReasonLength);
        builder.Property(c => c.ActorName).HasMaxLength(256);
        builder.HasIndex(c => new { c.CustomerId, c.PeriodStart, c.Watermark });
        builder.HasIndex(c => new { c.ProjectId, c.PeriodStart });
    }
}
