using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Neruba.Domain.Access;

namespace Neruba.Infrastructure.Payments.Reconciliation;

internal sealed class ReconciliationRunConfiguration : IEntityTypeConfiguration<ReconciliationRunRecord>
{
    public void Configure(EntityTypeBuilder<ReconciliationRunRecord> builder)
    {
        builder.ToTable("ReconciliationRuns");
        builder.Property(r => r.Trigger).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.RequestedByName).HasMaxLength(256);
        builder.Property(r => r.CategorySummary).HasMaxLength(8000);
        builder.Property(r => r.Error).HasMaxLength(ReconciliationRunRecord.MaxErrorLength);
        builder.Property(r => r.JobId).HasMaxLength(64);
        builder.Property(r => r.Version).IsConcurrencyToken();
        builder.HasIndex(r => new { r.ProjectId, r.CreatedAt });
        builder.HasIndex(r => new { r.ProjectId, r.Status });

        // One run queued or running per project: two starts at the same moment (two tabs, two nodes, the daily job) cannot both insert one.
        builder.HasIndex(r => r.ProjectId).IsUnique().HasFilter("\"Status\" IN ('Queued', 'Running')").HasDatabaseName("IX_ReconciliationRuns_OneUnderWay");
        builder.HasOne<Project>().WithMany().HasForeignKey(r => r.ProjectId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ReconciliationMismatchConfiguration : IEntityTypeConfiguration<ReconciliationMismatchRecord>
{
    public void Configure(EntityTypeBuilder<ReconciliationMismatchRecord> builder)
    {
        builder.ToTable("ReconciliationMismatches");
        builder.Property(m => m.Kind).HasConversion<string>().HasMaxLength(24);
        builder.Property(m => m.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(m => m.SourceId).HasMaxLength(StripeId.MaxLength);
        builder.Property(m => m.BalanceTransactionId).HasMaxLength(StripeId.MaxLength);
        builder.Property(m => m.ReportingCategory).HasMaxLength(64);
        builder.Property(m => m.Currency).HasMaxLength(3);
        builder.Property(m => m.StripeSide).HasMaxLength(ReconciliationMismatchRecord.MaxTextLength);
        builder.Property(m => m.LedgerSide).HasMaxLength(ReconciliationMismatchRecord.MaxTextLength);
        builder.Property(m => m.SuggestedAction).HasMaxLength(ReconciliationMismatchRecord.MaxTextLength);
        builder.Property(m => m.OpenKey).HasMaxLength(StripeId.MaxLength + 32);
        builder.Property(m => m.ApprovalRequestedById).HasMaxLength(256);
        builder.Property(m => m.ApprovalRequestedByName).HasMaxLength(256);
        builder.Property(m => m.ProposedReason).HasMaxLength(ReconciliationMismatchRecord.MaxTextLength);
        builder.Property(m => m.ResolvedByName).HasMaxLength(256);
        builder.Property(m => m.ResolutionNote).HasMaxLength(ReconciliationMismatchRecord.MaxTextLength);
        builder.Property(m => m.Version).IsConcurrencyToken();

        // One open mismatch per (kind, source): a re-run finds it again instead of adding another. Closed ones have no key (SQL Server filters NULLs).
        builder.HasIndex(m => new { m.ProjectId, m.OpenKey }).IsUnique();
        builder.HasIndex(m => new { m.ProjectId, m.Status, m.OccurredAt });
        builder.HasIndex(m => new { m.ProjectId, m.SourceId });
        builder.HasOne<Project>().WithMany().HasForeignKey(m => m.ProjectId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<ReconciliationRunRecord>().WithMany().HasForeignKey(m => m.FirstRunId).OnDelete(DeleteBehavior.Restrict);
    }
}
