using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Neruba.Domain.Access;

namespace Neruba.Infrastructure.Payments.Disputes;

internal sealed class DisputeConfiguration : IEntityTypeConfiguration<DisputeRecord>
{
    public void Configure(EntityTypeBuilder<DisputeRecord> builder)
    {
        builder.ToTable("Disputes");
        builder.Ignore(d => d.IsInquiry);
        builder.Ignore(d => d.IsClosed);
        builder.Ignore(d => d.NeedsResponse);
        builder.Property(d => d.StripeDisputeId).HasMaxLength(StripeId.MaxLength);
        builder.Property(d => d.ChargeId).HasMaxLength(StripeId.MaxLength);
        builder.Property(d => d.PaymentIntentId).HasMaxLength(StripeId.MaxLength);
        builder.Property(d => d.Currency).HasMaxLength(3);
        builder.Property(d => d.Reason).HasMaxLength(64);
        builder.Property(d => d.Status).HasConversion<string>().HasMaxLength(32);
        builder.Property(d => d.EvidenceDraft).HasMaxLength(DisputeRecord.MaxEvidenceLength);
        builder.Property(d => d.DraftSavedByName).HasMaxLength(256);
        builder.Property(d => d.SubmittedByName).HasMaxLength(256);
        builder.Property(d => d.AcceptRequestedById).HasMaxLength(256);
        builder.Property(d => d.AcceptRequestedByName).HasMaxLength(256);
        builder.Property(d => d.AcceptReason).HasMaxLength(1000);
        builder.Property(d => d.AcceptedByName).HasMaxLength(256);
        builder.Property(d => d.Version).IsConcurrencyToken();
        builder.HasIndex(d => new { d.ProjectId, d.StripeDisputeId }).IsUnique();
        builder.HasIndex(d => new { d.ProjectId, d.Status, d.EvidenceDueBy });
        builder.HasIndex(d => new { d.ProjectId, d.CustomerId });
        builder.HasIndex(d => new { d.ProjectId, d.ChargeId });
        builder.HasOne<Project>().WithMany().HasForeignKey(d => d.ProjectId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class DisputeFileConfiguration : IEntityTypeConfiguration<DisputeFileRecord>
{
    public void Configure(EntityTypeBuilder<DisputeFileRecord> builder)
    {
        builder.ToTable("DisputeFiles");
        builder.Property(f => f.EvidenceField).HasMaxLength(64);
        builder.Property(f => f.StripeFileId).HasMaxLength(StripeId.MaxLength);
        builder.Property(f => f.FileName).HasMaxLength(256);
        builder.Property(f => f.ContentType).HasMaxLength(128);
        builder.Property(f => f.UploadedByName).HasMaxLength(256);
        builder.HasIndex(f => f.DisputeId);
        builder.HasOne<DisputeRecord>().WithMany().HasForeignKey(f => f.DisputeId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class DisputeNoteConfiguration : IEntityTypeConfiguration<DisputeNoteRecord>
{
    public void Configure(EntityTypeBuilder<DisputeNoteRecord> builder)
    {
        builder.ToTable("DisputeNotes");
        builder.Property(n => n.Text).HasMaxLength(DisputeNoteRecord.MaxTextLength);
        builder.Property(n => n.AuthorName).HasMaxLength(256);
        builder.HasIndex(n => n.DisputeId);
        builder.HasOne<DisputeRecord>().WithMany().HasForeignKey(n => n.DisputeId).OnDelete(DeleteBehavior.Restrict);
    }
}
