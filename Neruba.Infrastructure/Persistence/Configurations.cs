using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Neruba.Domain.Access;
using Neruba.Domain.Audit;
using Neruba.Domain.Customers;
using Neruba.Infrastructure.Access;

namespace Neruba.Infrastructure.Persistence;

internal sealed class ProjectConfiguration : IEntityTypeConfiguration<Project>
{
    public void Configure(EntityTypeBuilder<Project> builder)
    {
        builder.ToTable("Projects");
        builder.Property(p => p.Name).HasMaxLength(Project.MaxNameLength);
        builder.Property(p => p.Slug).HasMaxLength(64);
        builder.HasIndex(p => p.Slug).IsUnique();
        builder.Property(p => p.DefaultCurrency).HasMaxLength(3);
        builder.Property(p => p.TimeZone).HasMaxLength(64);
        builder.Property(p => p.AdminVersion).IsConcurrencyToken();
        builder.Property(p => p.SellerName).HasMaxLength(Project.MaxSellerFieldLength);
        builder.Property(p => p.SellerAddress).HasMaxLength(Project.MaxSellerAddressLength);
        builder.Property(p => p.SellerEmail).HasMaxLength(Project.MaxSellerFieldLength);
        builder.Property(p => p.SellerTaxId).HasMaxLength(Project.MaxSellerFieldLength);
        builder.ComplexProperty(p => p.Readiness);
    }
}

internal sealed class ProjectMembershipConfiguration : IEntityTypeConfiguration<ProjectMembership>
{
    public void Configure(EntityTypeBuilder<ProjectMembership> builder)
    {
        builder.ToTable("ProjectMemberships");
        builder.Property(m => m.Role).HasConversion<string>().HasMaxLength(16);
        builder.HasIndex(m => new { m.ProjectId, m.UserId }).IsUnique();
        builder.HasIndex(m => m.UserId);
        builder.HasOne<Project>().WithMany().HasForeignKey(m => m.ProjectId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<NerubaUser>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CustomerConfiguration : IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Customer> builder)
    {
        builder.ToTable("Customers");
        builder.Property(c => c.ExternalId).HasMaxLength(Customer.MaxExternalIdLength);
        builder.Property(c => c.Name).HasMaxLength(Customer.MaxNameLength);
        builder.Property(c => c.Email).HasMaxLength(Customer.MaxEmailLength);
        builder.Property(c => c.Metadata).HasMaxLength(Customer.MaxMetadataLength);
        builder.Property(c => c.Currency).HasMaxLength(3);
        builder.Property(c => c.TimeZone).HasMaxLength(64);
        builder.HasIndex(c => new { c.ProjectId, c.ExternalId }).IsUnique();
        builder.HasIndex(c => new { c.ProjectId, c.Name });
        builder.HasOne<Project>().WithMany().HasForeignKey(c => c.ProjectId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.ToTable("ApiKeys");
        builder.Property(k => k.Name).HasMaxLength(ApiKey.MaxNameLength);
        builder.Property(k => k.Prefix).HasMaxLength(16);
        builder.Property(k => k.SecretHash).HasMaxLength(64);
        builder.HasIndex(k => k.SecretHash).IsUnique();
        builder.Property(k => k.Scopes).HasMaxLength(200);
        builder.Property(k => k.CreatedByUserId).HasMaxLength(450);
        builder.Property(k => k.CreatedByName).HasMaxLength(256);
        builder.Property(k => k.RevokedByName).HasMaxLength(256);
        builder.Ignore(k => k.ScopeList);
        builder.Ignore(k => k.IsRevoked);
        builder.HasIndex(k => k.ProjectId);
        builder.HasOne<Project>().WithMany().HasForeignKey(k => k.ProjectId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("AuditEntries");
        builder.Property(a => a.ActorKind).HasConversion<string>().HasMaxLength(16);
        builder.Property(a => a.Outcome).HasConversion<string>().HasMaxLength(16);
        builder.Property(a => a.ActorId).HasMaxLength(450);
        builder.Property(a => a.ActorName).HasMaxLength(256);
        builder.Property(a => a.Action).HasMaxLength(64);
        builder.Property(a => a.TargetType).HasMaxLength(64);
        builder.Property(a => a.TargetId).HasMaxLength(450);
        builder.Property(a => a.Reason).HasMaxLength(2000);
        builder.Property(a => a.CorrelationId).HasMaxLength(64);
        builder.HasIndex(a => new { a.ProjectId, a.At });
        builder.HasIndex(a => new { a.ProjectId, a.Action });
        // The audit page's other sort columns, and the customer timeline's seeks by target (ConsolePageIndexes).
        builder.HasIndex(a => new { a.ProjectId, a.TargetType, a.TargetId, a.At });
        builder.HasIndex(a => new { a.ProjectId, a.ActorName, a.At });
        builder.HasIndex(a => new { a.ProjectId, a.Outcome, a.At });
    }
}
