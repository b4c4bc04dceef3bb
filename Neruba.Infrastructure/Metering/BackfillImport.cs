using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Neruba.Infrastructure.Metering;

public enum BackfillStatus
{
    Queued = 1,
    Running = 2,
    Succeeded = 3,
    Failed = 4,
}

/// <summary>
/// An uploaded file of past events and its progress. The file is kept in the database, so whichever
/// node runs the job can read it; rejections are kept as CSV for download.
/// </summary>
public sealed class BackfillImport
{
    public const int MaxFileBytes = 20 * 1024 * 1024;

    public Guid Id { get; set; }
    public Guid ProjectId { get; set; }
    public string FileName { get; set; } = "";
    public byte[] Content { get; set; } = [];
    public BackfillStatus Status { get; set; }
    public int Total { get; set; }
    public int Processed { get; set; }
    public int Accepted { get; set; }
    public int Duplicates { get; set; }
    public int Rejected { get; set; }
    public string RejectionsCsv { get; set; } = "";
    public string? Error { get; set; }
    public string? JobId { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>The node importing the file, while <see cref="LeaseExpiresAt"/> is ahead; once it lapses, any node resumes after <see cref="Processed"/>.</summary>
    public string? LeaseOwner { get; set; }

    public DateTimeOffset? LeaseExpiresAt { get; set; }
}

internal sealed class BackfillImportConfiguration : IEntityTypeConfiguration<BackfillImport>
{
    public void Configure(EntityTypeBuilder<BackfillImport> builder)
    {
        builder.ToTable("BackfillImports");
        builder.Property(b => b.FileName).HasMaxLength(260);
        builder.Property(b => b.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(b => b.Error).HasMaxLength(2000);
        builder.Property(b => b.JobId).HasMaxLength(64);
        builder.Property(b => b.CreatedBy).HasMaxLength(256);
        builder.Property(b => b.LeaseOwner).HasMaxLength(Operations.JobLease.MaxOwnerLength).IsConcurrencyToken();
        builder.HasIndex(b => new { b.ProjectId, b.CreatedAt });
    }
}
