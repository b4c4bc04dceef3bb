using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Neruba.Domain.Access;
using Neruba.Domain.Customers;
using Neruba.Domain.Ledger;

namespace Neruba.Infrastructure.Ledger;

internal sealed class LedgerAccountConfiguration : IEntityTypeConfiguration<LedgerAccount>
{
    public void Configure(EntityTypeBuilder<LedgerAccount> builder)
    {
        builder.ToTable("LedgerAccounts");
        builder.Property(a => a.Kind).HasConversion<string>().HasMaxLength(32);
        builder.Property(a => a.Currency).HasMaxLength(3);
        builder.Property(a => a.Code).HasMaxLength(100);
        builder.Property(a => a.Version).IsConcurrencyToken();
        builder.HasIndex(a => new { a.ProjectId, a.Code }).IsUnique();
        builder.HasIndex(a => a.CustomerId);
        builder.HasOne<Project>().WithMany().HasForeignKey(a => a.ProjectId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Customer>().WithMany().HasForeignKey(a => a.CustomerId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class JournalEntryConfiguration : IEntityTypeConfiguration<JournalEntry>
{
    public void Configure(EntityTypeBuilder<JournalEntry> builder)
    {
        builder.ToTable("JournalEntries");
        builder.Property(e => e.Kind).HasConversion<string>().HasMaxLength(32);
        builder.Property(e => e.ActorKind).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.IdempotencyKey).HasMaxLength(JournalEntry.MaxIdempotencyKeyLength);
        builder.Property(e => e.ActorId).HasMaxLength(450);
        builder.Property(e => e.ActorName).HasMaxLength(256);
        builder.Property(e => e.Reason).HasMaxLength(JournalEntry.MaxReasonLength);
        builder.Property(e => e.Link).HasMaxLength(100);
        builder.HasIndex(e => new { e.ProjectId, e.IdempotencyKey }).IsUnique();
        builder.HasIndex(e => new { e.CustomerId, e.At });
        builder.HasMany(e => e.Postings).WithOne().HasForeignKey(p => p.EntryId).OnDelete(DeleteBehavior.Restrict);
        builder.Navigation(e => e.Postings).HasField("_postings").UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.HasOne<Project>().WithMany().HasForeignKey(e => e.ProjectId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class PostingConfiguration : IEntityTypeConfiguration<Posting>
{
    public void Configure(EntityTypeBuilder<Posting> builder)
    {
        builder.ToTable("Postings");
        builder.Property(p => p.Currency).HasMaxLength(3);
        // Covers a wallet's balances per block (every consumption reads them) without touching the postings themselves.
        builder.HasIndex(p => new { p.AccountId, p.CreditBlockId, p.Amount });
        builder.HasIndex(p => p.CreditBlockId);
        builder.HasOne<LedgerAccount>().WithMany().HasForeignKey(p => p.AccountId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CreditBlockConfiguration : IEntityTypeConfiguration<CreditBlock>
{
    public void Configure(EntityTypeBuilder<CreditBlock> builder)
    {
        builder.ToTable("CreditBlocks");
        builder.Property(b => b.Source).HasConversion<string>().HasMaxLength(32);
        builder.Property(b => b.Currency).HasMaxLength(3);
        builder.HasIndex(b => b.WalletAccountId);
        builder.HasIndex(b => new { b.ProjectId, b.ExpiresAt });
        builder.HasOne<LedgerAccount>().WithMany().HasForeignKey(b => b.WalletAccountId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<JournalEntry>().WithMany().HasForeignKey(b => b.EntryId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CreditGrantConfiguration : IEntityTypeConfiguration<CreditGrant>
{
    public void Configure(EntityTypeBuilder<CreditGrant> builder)
    {
        builder.ToTable("CreditGrants");
        builder.Property(g => g.Source).HasConversion<string>().HasMaxLength(32);
        builder.Property(g => g.Status).HasConversion<string>().HasMaxLength(32);
        builder.Property(g => g.Currency).HasMaxLength(3);
        builder.Property(g => g.ReasonCode).HasMaxLength(32);
        builder.Property(g => g.Note).HasMaxLength(1000);
        builder.Property(g => g.RequestedById).HasMaxLength(450);
        builder.Property(g => g.RequestedByName).HasMaxLength(256);
        builder.Property(g => g.DecidedById).HasMaxLength(450);
        builder.Property(g => g.DecidedByName).HasMaxLength(256);
        builder.Property(g => g.DecisionComment).HasMaxLength(1000);
        builder.Property(g => g.Version).IsConcurrencyToken();
        builder.HasIndex(g => new { g.ProjectId, g.CustomerId, g.RequestedAt });
        builder.HasIndex(g => new { g.ProjectId, g.Status });
        builder.HasIndex(g => g.CustomerId);
        builder.HasOne<Customer>().WithMany().HasForeignKey(g => g.CustomerId).OnDelete(DeleteBehavior.Restrict);
    }
}
