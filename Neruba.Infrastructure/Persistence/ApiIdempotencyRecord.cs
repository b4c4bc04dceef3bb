using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Neruba.Infrastructure.Persistence;

/// <summary>
/// The first answer to an API request sent with an Idempotency-Key: a replay with the same body gets
/// it again; a replay with a different body is refused.
/// </summary>
public sealed class ApiIdempotencyRecord
{
    public Guid Id { get; set; }
    public Guid ProjectId { get; set; }
    public string Key { get; set; } = "";
    public string Endpoint { get; set; } = "";
    public string RequestHash { get; set; } = "";
    public int StatusCode { get; set; }
    public string ResponseJson { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class ApiIdempotencyRecordConfiguration : IEntityTypeConfiguration<ApiIdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<ApiIdempotencyRecord> builder)
    {
        builder.ToTable("ApiIdempotencyRecords");
        builder.Property(r => r.Key).HasMaxLength(200);
        builder.Property(r => r.Endpoint).HasMaxLength(200);
        builder.Property(r => r.RequestHash).HasMaxLength(64);
        builder.HasIndex(r => new { r.ProjectId, r.Endpoint, r.Key }).IsUnique();
    }
}
