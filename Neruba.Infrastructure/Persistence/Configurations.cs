using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Neruba.Domain.Access;
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
        builder.Property(c => c.Email).HasMaxLength(256);
        builder.Property(c => c.Currency).HasMaxLength(3);
        builder.Property(c => c.TimeZone).HasMaxLength(64);
        builder.HasIndex(c => new { c.ProjectId, c.ExternalId }).IsUnique();
        builder.HasOne<Project>().WithMany().HasForeignKey(c => c.ProjectId).OnDelete(DeleteBehavior.Restrict);
    }
}
