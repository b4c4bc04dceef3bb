using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Neruba.Domain.Access;
using Neruba.Domain.Customers;

namespace Neruba.Infrastructure.Customers.Notes;

/// <summary>
/// A support agent's note on a customer. Notes are append-only: editing one writes a new note that names the one it replaces
/// (<see cref="ReplacesNoteId"/>), so what was written, by whom and when is never lost; the customer page shows only the newest of a chain.
/// </summary>
public sealed class CustomerNoteRecord
{
    public const int MaxTextLength = 4000;

    public Guid Id { get; set; }
    public Guid ProjectId { get; set; }
    public Guid CustomerId { get; set; }
    public string Text { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public string AuthorId { get; set; } = "";
    public string AuthorName { get; set; } = "";

    /// <summary>The note this one replaces (an edit); at most one note replaces a given note.</summary>
    public Guid? ReplacesNoteId { get; set; }
}

internal sealed class CustomerNoteConfiguration : IEntityTypeConfiguration<CustomerNoteRecord>
{
    public void Configure(EntityTypeBuilder<CustomerNoteRecord> builder)
    {
        builder.ToTable("CustomerNotes");
        builder.Property(n => n.Text).HasMaxLength(CustomerNoteRecord.MaxTextLength);
        builder.Property(n => n.AuthorId).HasMaxLength(256);
        builder.Property(n => n.AuthorName).HasMaxLength(256);
        builder.HasIndex(n => new { n.ProjectId, n.CustomerId, n.CreatedAt });

        // Two agents editing the same note at once: one edit wins, the other is told the note changed.
        builder.HasIndex(n => n.ReplacesNoteId).IsUnique().HasFilter("\"ReplacesNoteId\" IS NOT NULL");
        builder.HasOne<Project>().WithMany().HasForeignKey(n => n.ProjectId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Customer>().WithMany().HasForeignKey(n => n.CustomerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<CustomerNoteRecord>().WithMany().HasForeignKey(n => n.ReplacesNoteId).OnDelete(DeleteBehavior.Restrict);
    }
}
