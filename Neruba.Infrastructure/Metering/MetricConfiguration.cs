using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Neruba.Domain.Access;
using Neruba.Domain.Metering;

namespace Neruba.Infrastructure.Metering;

internal sealed class BillableMetricConfiguration : IEntityTypeConfiguration<BillableMetric>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public void Configure(EntityTypeBuilder<BillableMetric> builder)
    {
        builder.ToTable("BillableMetrics");
        builder.Property(m => m.Code).HasMaxLength(BillableMetric.MaxCodeLength);
        builder.Property(m => m.Name).HasMaxLength(BillableMetric.MaxNameLength);
        builder.Property(m => m.Property).HasMaxLength(BillableMetric.MaxPropertyLength);
        builder.Property(m => m.Aggregation).HasConversion<string>().HasMaxLength(16);
        builder.Property(m => m.Filters)
            .HasConversion(
                filters => JsonSerializer.Serialize(filters, Json),
                json => JsonSerializer.Deserialize<List<MetricFilter>>(json, Json) ?? new List<MetricFilter>(),
                new ValueComparer<IReadOnlyList<MetricFilter>>(
                    (a, b) => JsonSerializer.Serialize(a, Json) == JsonSerializer.Serialize(b, Json),
                    f => JsonSerializer.Serialize(f, Json).GetHashCode(StringComparison.Ordinal),
                    f => f.ToList()))
            .HasMaxLength(4000);
        builder.HasIndex(m => new { m.ProjectId, m.Code }).IsUnique();
        builder.HasOne<Project>().WithMany().HasForeignKey(m => m.ProjectId).OnDelete(DeleteBehavior.Restrict);
    }
}
