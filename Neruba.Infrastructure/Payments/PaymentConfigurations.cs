using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Neruba.Domain.Access;
using Neruba.Domain.Customers;
using Neruba.Infrastructure.Billing.Corrections;
using Neruba.Infrastructure.Billing.Invoices;

namespace Neruba.Infrastructure.Payments;

/// <summary>Stripe's ids are at most 255 characters.</summary>
internal static class StripeId
{
    public const int MaxLength = 255;
}

internal sealed class StripeAccountConfiguration : IEntityTypeConfiguration<StripeAccountRecord>
{
    public void Configure(EntityTypeBuilder<StripeAccountRecord> builder)
    {
        builder.ToTable("StripeAccounts");
        builder.HasKey(a => a.ProjectId);
        builder.Property(a => a.SecretKeyProtected).HasMaxLength(4000);
        builder.Property(a => a.SecretKeyHint).HasMaxLength(64);
        builder.Property(a => a.PublishableKey).HasMaxLength(StripeId.MaxLength);
        builder.Property(a => a.WebhookSecretProtected).HasMaxLength(4000);
        builder.Property(a => a.WebhookSecretHint).HasMaxLength(64);
        builder.Property(a => a.RetryScheduleDays).HasMaxLength(64);
        builder.Property(a => a.UpdatedByName).HasMaxLength(256);
        builder.Property(a => a.LastTestMessage).HasMaxLength(CollectionAttemptRecord.MaxMessageLength);
        builder.Property(a => a.Version).IsConcurrencyToken();
        builder.Ignore(a => a.IsConfigured);
        builder.HasOne<Project>().WithOne().HasForeignKey<StripeAccountRecord>(a => a.ProjectId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class StripeCustomerConfiguration : IEntityTypeConfiguration<StripeCustomerRecord>
{
    public void Configure(EntityTypeBuilder<StripeCustomerRecord> builder)
    {
        builder.ToTable("StripeCustomers");
        builder.Property(c => c.StripeCustomerId).HasMaxLength(StripeId.MaxLength);
        builder.HasIndex(c => new { c.ProjectId, c.CustomerId }).IsUnique();
        builder.HasIndex(c => new { c.ProjectId, c.StripeCustomerId }).IsUnique();
        builder.HasOne<Customer>().WithMany().HasForeignKey(c => c.CustomerId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CreditPackConfiguration : IEntityTypeConfiguration<CreditPackRecord>
{
    public void Configure(EntityTypeBuilder<CreditPackRecord> builder)
    {
        builder.ToTable("CreditPacks");
        builder.Property(p => p.Name).HasMaxLength(CreditPackRecord.MaxNameLength);
        builder.Property(p => p.Currency).HasMaxLength(3);
        builder.Property(p => p.CreatedByName).HasMaxLength(256);
        builder.Property(p => p.Version).IsConcurrencyToken();
        builder.HasIndex(p => new { p.ProjectId, p.Name }).IsUnique();
        builder.HasOne<Project>().WithMany().HasForeignKey(p => p.ProjectId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CheckoutSessionConfiguration : IEntityTypeConfiguration<CheckoutSessionRecord>
{
    public void Configure(EntityTypeBuilder<CheckoutSessionRecord> builder)
    {
        builder.ToTable("CheckoutSessions");
        builder.Property(s => s.PackName).HasMaxLength(CreditPackRecord.MaxNameLength);
        builder.Property(s => s.Currency).HasMaxLength(3);
        builder.Property(s => s.StripeSessionId).HasMaxLength(StripeId.MaxLength);
        builder.Property(s => s.Url).HasMaxLength(2000);
        builder.Property(s => s.Status).HasConversion<string>().HasMaxLength(24);
        builder.Property(s => s.PaymentIntentId).HasMaxLength(StripeId.MaxLength);
        builder.Property(s => s.CreatedByName).HasMaxLength(256);
        builder.Property(s => s.Version).IsConcurrencyToken();
        builder.HasIndex(s => new { s.ProjectId, s.StripeSessionId }).IsUnique();
        builder.HasIndex(s => new { s.ProjectId, s.CustomerId });
        builder.HasOne<Customer>().WithMany().HasForeignKey(s => s.CustomerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<CreditPackRecord>().WithMany().HasForeignKey(s => s.PackId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CollectionAttemptConfiguration : IEntityTypeConfiguration<CollectionAttemptRecord>
{
    public void Configure(EntityTypeBuilder<CollectionAttemptRecord> builder)
    {
        builder.ToTable("CollectionAttempts");
        builder.Property(a => a.Trigger).HasConversion<string>().HasMaxLength(16);
        builder.Property(a => a.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(a => a.Currency).HasMaxLength(3);
        builder.Property(a => a.IdempotencyKey).HasMaxLength(200);
        builder.Property(a => a.PaymentIntentId).HasMaxLength(StripeId.MaxLength);
        builder.Property(a => a.ChargeId).HasMaxLength(StripeId.MaxLength);
        builder.Property(a => a.FailureCode).HasMaxLength(64);
        builder.Property(a => a.FailureMessage).HasMaxLength(CollectionAttemptRecord.MaxMessageLength);
        builder.Property(a => a.JobId).HasMaxLength(64);
        builder.Property(a => a.RequestedByName).HasMaxLength(256);
        builder.Property(a => a.Version).IsConcurrencyToken();
        builder.HasIndex(a => new { a.InvoiceId, a.Number }).IsUnique();
        builder.HasIndex(a => new { a.ProjectId, a.PaymentIntentId });
        builder.HasIndex(a => new { a.ProjectId, a.Status });
        builder.HasOne<InvoiceRecord>().WithMany().HasForeignKey(a => a.InvoiceId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class StripeRefundConfiguration : IEntityTypeConfiguration<StripeRefundRecord>
{
    public void Configure(EntityTypeBuilder<StripeRefundRecord> builder)
    {
        builder.ToTable("StripeRefunds");
        builder.Ignore(r => r.IdempotencyKey);
        builder.Property(r => r.PaymentIntentId).HasMaxLength(StripeId.MaxLength);
        builder.Property(r => r.Currency).HasMaxLength(3);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.StripeRefundId).HasMaxLength(StripeId.MaxLength);
        builder.Property(r => r.FailureReason).HasMaxLength(CollectionAttemptRecord.MaxMessageLength);
        builder.Property(r => r.Version).IsConcurrencyToken();
        builder.HasIndex(r => new { r.ProjectId, r.StripeRefundId });
        builder.HasIndex(r => r.CreditNoteId);
        builder.HasIndex(r => new { r.ProjectId, r.Status });
        builder.HasOne<CreditNoteRecord>().WithMany().HasForeignKey(r => r.CreditNoteId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<PaymentRecord>().WithMany().HasForeignKey(r => r.PaymentId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class StripeEventConfiguration : IEntityTypeConfiguration<StripeEventRecord>
{
    public void Configure(EntityTypeBuilder<StripeEventRecord> builder)
    {
        builder.ToTable("StripeEvents");
        builder.Property(e => e.StripeEventId).HasMaxLength(StripeId.MaxLength);
        builder.Property(e => e.Type).HasMaxLength(100);
        builder.Property(e => e.ApiVersion).HasMaxLength(64);
        builder.Property(e => e.ObjectId).HasMaxLength(StripeId.MaxLength);
        builder.Property(e => e.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.LastError).HasMaxLength(StripeEventRecord.MaxErrorLength);
        builder.Property(e => e.Outcome).HasMaxLength(StripeEventRecord.MaxErrorLength);
        builder.Property(e => e.Version).IsConcurrencyToken();
        builder.HasIndex(e => new { e.ProjectId, e.StripeEventId }).IsUnique();
        builder.HasIndex(e => new { e.ProjectId, e.ReceivedAt });
        builder.HasIndex(e => new { e.Status, e.ReceivedAt });
        builder.HasOne<Project>().WithMany().HasForeignKey(e => e.ProjectId).OnDelete(DeleteBehavior.Restrict);
    }
}
