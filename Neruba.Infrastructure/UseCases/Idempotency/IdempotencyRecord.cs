using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Neruba.Infrastructure.UseCases.Idempotency;

public enum IdempotencyState
{
    /// <summary>Claimed by a running request; another may take it over once <see cref="IdempotencyRecord.LeaseExpiresAt"/> has passed.</summary>
    InProgress = 0,

    /// <summary>The work committed, in the same transaction as this state and the stored response.</summary>
    Completed = 1,
}

/// <summary>
/// One Idempotency-Key of a project for one operation: who holds it, for which resolved target and
/// request, and, once the work committed, the response every retry gets back.
/// </summary>
public sealed class IdempotencyRecord
{
    public Guid Id { get; set; }
    public Guid ProjectId { get; set; }
    public string Key { get; set; } = "";

    /// <summary>The use case, e.g. <c>RequestCreditGrant</c>: never the raw URL, which names the same customer two ways.</summary>
    public string Operation { get; set; } = "";

    /// <summary>What the request resolved to (e.g. the customer's Neruba id), part of what a retry must match.</summary>
    public string Target { get; set; } = "";

    /// <summary>SHA-256 of the canonical request and the target.</summary>
    public string RequestHash { get; set; } = "";

    public IdempotencyState State { get; set; }

    /// <summary>Changes with every claim, so a holder whose lease was taken over cannot also commit.</summary>
    public Guid ClaimToken { get; set; }

    public DateTimeOffset LeaseExpiresAt { get; set; }
    public int StatusCode { get; set; }
    public string ResponseJson { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
}

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> builder)
    {
        builder.ToTable("IdempotencyRecords");
        builder.Property(r => r.Key).HasMaxLength(200);
        builder.Property(r => r.Operation).HasMaxLength(100);
        builder.Property(r => r.Target).HasMaxLength(100);
        builder.Property(r => r.RequestHash).HasMaxLength(64);
        builder.Property(r => r.ClaimToken).IsConcurrencyToken();
        builder.HasIndex(r => new { r.ProjectId, r.Operation, r.Key }).IsUnique();
        builder.HasIndex(r => r.CreatedAt);
    }
}
