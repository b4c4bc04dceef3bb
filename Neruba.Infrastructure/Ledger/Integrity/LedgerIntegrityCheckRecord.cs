using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Neruba.Domain.Access;

namespace Neruba.Infrastructure.Ledger.Integrity;

public enum LedgerIntegrityStatus
{
    Running = 0,
    Passed = 1,
    Failed = 2,

    /// <summary>The check itself could not finish (say why in <see cref="LedgerIntegrityCheckRecord.Error"/>); it says nothing about the ledger.</summary>
    Errored = 3,
}

/// <summary>
/// One run of the money-integrity check over a project's ledger: when, who or what asked, what it covered and what it found.
/// Kept so the readiness page can say "last checked 2 h ago, 0 problems" and name the offending ids of a failed check.
/// </summary>
public sealed class LedgerIntegrityCheckRecord
{
    public const int MaxProblemsKept = 200;

    public Guid Id { get; set; }
    public Guid ProjectId { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public LedgerIntegrityStatus Status { get; set; }

    /// <summary>"schedule", "console", "api" or "command line".</summary>
    public string Trigger { get; set; } = "";

    public string RequestedByName { get; set; } = "";
    public int EntriesChecked { get; set; }
    public int WalletsChecked { get; set; }
    public int InvoicesChecked { get; set; }
    public int ProblemCount { get; set; }

    /// <summary>The first <see cref="MaxProblemsKept"/> problems as JSON (kind, id, words).</summary>
    public string ProblemsJson { get; set; } = "[]";

    public string Error { get; set; } = "";
}

internal sealed class LedgerIntegrityCheckConfiguration : IEntityTypeConfiguration<LedgerIntegrityCheckRecord>
{
    public void Configure(EntityTypeBuilder<LedgerIntegrityCheckRecord> builder)
    {
        builder.ToTable("LedgerIntegrityChecks");
        builder.Property(c => c.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.Trigger).HasMaxLength(32);
        builder.Property(c => c.RequestedByName).HasMaxLength(256);
        builder.Property(c => c.Error).HasMaxLength(2000);
        builder.HasIndex(c => new { c.ProjectId, c.StartedAt });
        builder.HasOne<Project>().WithMany().HasForeignKey(c => c.ProjectId).OnDelete(DeleteBehavior.Restrict);
    }
}
