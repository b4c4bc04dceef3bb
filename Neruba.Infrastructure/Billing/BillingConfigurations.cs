using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Neruba.Domain.Access;
using Neruba.Domain.Billing;
using Neruba.Domain.Customers;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Billing.Runs;
using Neruba.Infrastructure.Operations;

namespace Neruba.Infrastructure.Billing;

/// <summary>Stores an immutable value object as a JSON text column, compared by its JSON.</summary>
internal static class JsonColumn
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static PropertyBuilder<T> AsJson<T>(this PropertyBuilder<T> property, Func<T, string> write, Func<string, T> read) where T : class =>
        property.HasConversion(
            value => write(value),
            json => read(json),
            new ValueComparer<T>((a, b) => (a == null && b == null) || (a != null && b != null && write(a) == write(b)),
                value => write(value).GetHashCode(StringComparison.Ordinal), value => value));
}

internal sealed class PlanConfiguration : IEntityTypeConfiguration<PlanRecord>
{
    public void Configure(EntityTypeBuilder<PlanRecord> builder)
    {
        builder.ToTable("Plans");
        builder.Property(p => p.Code).HasMaxLength(PlanRecord.MaxCodeLength);
        builder.Property(p => p.Name).HasMaxLength(PlanRecord.MaxNameLength);
        builder.HasIndex(p => new { p.ProjectId, p.Code }).IsUnique();
        builder.HasOne<Project>().WithMany().HasForeignKey(p => p.ProjectId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class PlanVersionConfiguration : IEntityTypeConfiguration<PlanVersionRecord>
{
    public void Configure(EntityTypeBuilder<PlanVersionRecord> builder)
    {
        builder.ToTable("PlanVersions");
        builder.Property(v => v.Terms).AsJson(t => JsonSerializer.Serialize(t, JsonColumn.Options),
            json => JsonSerializer.Deserialize<PlanTerms>(json, JsonColumn.Options)!).HasMaxLength(16000);
        builder.Property(v => v.CreatedBy).HasMaxLength(200);
        builder.Property(v => v.Name).HasMaxLength(PlanRecord.MaxNameLength);
        builder.HasIndex(v => new { v.PlanId, v.Number }).IsUnique();
        builder.HasOne<PlanRecord>().WithMany().HasForeignKey(v => v.PlanId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class SubscriptionConfiguration : IEntityTypeConfiguration<SubscriptionRecord>
{
    public void Configure(EntityTypeBuilder<SubscriptionRecord> builder)
    {
        builder.ToTable("Subscriptions");
        builder.Property(s => s.Version).IsConcurrencyToken();
        builder.HasIndex(s => new { s.ProjectId, s.CustomerId });
        builder.HasOne<Customer>().WithMany().HasForeignKey(s => s.CustomerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<PlanRecord>().WithMany().HasForeignKey(s => s.PlanId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class SubscriptionPhaseConfiguration : IEntityTypeConfiguration<SubscriptionPhaseRecord>
{
    public void Configure(EntityTypeBuilder<SubscriptionPhaseRecord> builder)
    {
        builder.ToTable("SubscriptionPhases");
        builder.HasIndex(p => new { p.SubscriptionId, p.From }).IsUnique();
        builder.HasIndex(p => p.PlanVersionId);
        builder.HasOne<SubscriptionRecord>().WithMany().HasForeignKey(p => p.SubscriptionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<PlanVersionRecord>().WithMany().HasForeignKey(p => p.PlanVersionId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class BillingRunConfiguration : IEntityTypeConfiguration<BillingRunRecord>
{
    public void Configure(EntityTypeBuilder<BillingRunRecord> builder)
    {
        builder.ToTable("BillingRuns");
        builder.Property(r => r.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(24);
        builder.Property(r => r.ActiveKey).HasMaxLength(120);
        builder.Property(r => r.TriggeredBy).HasMaxLength(200);
        builder.Property(r => r.JobId).HasMaxLength(64);
        // The owner is a concurrency token: of two nodes taking a lapsed lease, one saves; a node whose lease was taken fails its next save.
        builder.Property(r => r.LeaseOwner).HasMaxLength(JobLease.MaxOwnerLength).IsConcurrencyToken();
        // Each provider's context filters this index to active runs (SQL Server would otherwise allow one null only).
        builder.HasIndex(r => r.ActiveKey, "IX_BillingRuns_ActiveKey").IsUnique();
        builder.HasIndex(r => new { r.ProjectId, r.CreatedAt });
        builder.HasOne<Project>().WithMany().HasForeignKey(r => r.ProjectId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class BillingRunItemConfiguration : IEntityTypeConfiguration<BillingRunItemRecord>
{
    public void Configure(EntityTypeBuilder<BillingRunItemRecord> builder)
    {
        builder.ToTable("BillingRunItems");
        builder.Property(i => i.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(i => i.Error).HasMaxLength(BillingRunRecord.MaxErrorLength);
        builder.Property(i => i.DraftHash).HasMaxLength(64);
        builder.HasIndex(i => new { i.RunId, i.SubscriptionId }).IsUnique();
        builder.HasIndex(i => new { i.RunId, i.Status, i.Position });
        builder.HasOne<BillingRunRecord>().WithMany().HasForeignKey(i => i.RunId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class InvoiceConfiguration : IEntityTypeConfiguration<InvoiceRecord>
{
    public void Configure(EntityTypeBuilder<InvoiceRecord> builder)
    {
        builder.ToTable("Invoices");
        builder.Ignore(i => i.Number);
        builder.Property(i => i.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(i => i.Currency).HasMaxLength(3);
        builder.Property(i => i.DraftHash).HasMaxLength(64);
        builder.Property(i => i.Draft).AsJson(d => d.ToCanonicalJson(), InvoiceDraft.FromCanonicalJson);
        builder.Property(i => i.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(i => i.VoidedByName).HasMaxLength(256);
        builder.Property(i => i.VoidReason).HasMaxLength(1000);
        builder.Property(i => i.Version).IsConcurrencyToken();
        builder.HasIndex(i => new { i.SubscriptionId, i.PeriodStart, i.Revision }).IsUnique();
        builder.HasIndex(i => new { i.ProjectId, i.Sequence }).IsUnique();
        builder.HasIndex(i => new { i.ProjectId, i.PeriodStart });
        builder.HasIndex(i => new { i.ProjectId, i.CustomerId });
        // The invoice list's sort columns: a page of a sorted list reads the index in order instead of sorting every invoice (ConsolePageIndexes).
        builder.HasIndex(i => new { i.ProjectId, i.Status, i.Sequence });
        builder.HasIndex(i => new { i.ProjectId, i.Subtotal });
        builder.HasIndex(i => new { i.ProjectId, i.AmountDue });
        builder.HasIndex(i => new { i.ProjectId, i.FinalizedAt });
        // The invoice page's correction chain finds the invoices that correct this one.
        builder.HasIndex(i => new { i.ProjectId, i.CorrectsInvoiceId });
        builder.HasOne<SubscriptionRecord>().WithMany().HasForeignKey(i => i.SubscriptionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<BillingRunRecord>().WithMany().HasForeignKey(i => i.RunId).OnDelete(DeleteBehavior.Restrict);
    }
}
