using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Neruba.Domain.Customers;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Billing.Runs;

namespace Neruba.Infrastructure.Billing.Corrections;

internal sealed class CreditNoteConfiguration : IEntityTypeConfiguration<CreditNoteRecord>
{
    public void Configure(EntityTypeBuilder<CreditNoteRecord> builder)
    {
        builder.ToTable("CreditNotes");
        builder.Ignore(n => n.Number);
        builder.Property(n => n.Currency).HasMaxLength(3);
        builder.Property(n => n.IssueKey).HasMaxLength(200);
        builder.Property(n => n.ReasonCode).HasMaxLength(32);
        builder.Property(n => n.Note).HasMaxLength(CreditNoteRecord.MaxNoteLength);
        builder.Property(n => n.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(n => n.IssuedById).HasMaxLength(450);
        builder.Property(n => n.IssuedByName).HasMaxLength(256);
        builder.Property(n => n.ApprovedByName).HasMaxLength(256);
        builder.Property(n => n.VoidedByName).HasMaxLength(256);
        builder.Property(n => n.VoidReason).HasMaxLength(CreditNoteRecord.MaxNoteLength);
        builder.Property(n => n.Lines).AsJson(l => JsonSerializer.Serialize(l, JsonColumn.Options),
            json => JsonSerializer.Deserialize<List<CreditNoteLine>>(json, JsonColumn.Options)!);
        builder.Property(n => n.Version).IsConcurrencyToken();
        builder.HasIndex(n => new { n.ProjectId, n.Sequence }).IsUnique();
        builder.HasIndex(n => new { n.ProjectId, n.IssueKey }).IsUnique();
        builder.HasIndex(n => n.InvoiceId);
        builder.HasIndex(n => new { n.ProjectId, n.CustomerId });
        builder.HasOne<InvoiceRecord>().WithMany().HasForeignKey(n => n.InvoiceId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Customer>().WithMany().HasForeignKey(n => n.CustomerId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class PaymentConfiguration : IEntityTypeConfiguration<PaymentRecord>
{
    public void Configure(EntityTypeBuilder<PaymentRecord> builder)
    {
        builder.ToTable("Payments");
        builder.Property(p => p.Method).HasConversion<string>().HasMaxLength(32);
        builder.Property(p => p.Currency).HasMaxLength(3);
        builder.Property(p => p.Reference).HasMaxLength(PaymentRecord.MaxReferenceLength);
        builder.Property(p => p.StripeChargeId).HasMaxLength(255);
        builder.Property(p => p.RecordedById).HasMaxLength(450);
        builder.Property(p => p.RecordedByName).HasMaxLength(256);
        builder.HasIndex(p => new { p.InvoiceId, p.Reference }).IsUnique();
        builder.HasIndex(p => new { p.ProjectId, p.CustomerId });
        builder.HasOne<InvoiceRecord>().WithMany().HasForeignKey(p => p.InvoiceId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class RerunCommitConfiguration : IEntityTypeConfiguration<RerunCommitRecord>
{
    public void Configure(EntityTypeBuilder<RerunCommitRecord> builder)
    {
        builder.ToTable("RerunCommits");
        builder.Property(c => c.Status).HasConversion<string>().HasMaxLength(24);
        builder.Property(c => c.ProposedById).HasMaxLength(450);
        builder.Property(c => c.ProposedByName).HasMaxLength(256);
        builder.Property(c => c.DecidedById).HasMaxLength(450);
        builder.Property(c => c.DecidedByName).HasMaxLength(256);
        builder.Property(c => c.Comment).HasMaxLength(RerunCommitRecord.MaxCommentLength);
        builder.Property(c => c.DecisionComment).HasMaxLength(RerunCommitRecord.MaxCommentLength);
        builder.Property(c => c.JobId).HasMaxLength(64);
        builder.Property(c => c.Effect).AsJson(e => JsonSerializer.Serialize(e, JsonColumn.Options),
            json => JsonSerializer.Deserialize<List<RerunCommitEffect>>(json, JsonColumn.Options)!).HasMaxLength(4000);
        builder.Property(c => c.Version).IsConcurrencyToken();
        builder.HasIndex(c => c.RunId).IsUnique();
        builder.HasIndex(c => new { c.ProjectId, c.Status });
        builder.HasOne<BillingRunRecord>().WithMany().HasForeignKey(c => c.RunId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class RerunCommitItemConfiguration : IEntityTypeConfiguration<RerunCommitItemRecord>
{
    public void Configure(EntityTypeBuilder<RerunCommitItemRecord> builder)
    {
        builder.ToTable("RerunCommitItems");
        builder.Property(i => i.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(i => i.Currency).HasMaxLength(3);
        builder.Property(i => i.Error).HasMaxLength(RerunCommitItemRecord.MaxErrorLength);
        builder.HasIndex(i => new { i.CommitId, i.SubscriptionId }).IsUnique();
        builder.HasIndex(i => new { i.CommitId, i.Status, i.Position });
        builder.HasOne<RerunCommitRecord>().WithMany().HasForeignKey(i => i.CommitId).OnDelete(DeleteBehavior.Restrict);
    }
}
