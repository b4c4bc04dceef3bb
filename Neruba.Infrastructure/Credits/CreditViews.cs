using Neruba.Domain.Ledger;
using Neruba.Domain.Money;

namespace Neruba.Infrastructure.Credits;

public sealed record CreditGrantView(Guid Id, Guid CustomerId, string CustomerName, MoneyAmount Amount, CreditSource Source, string ReasonCode, string Note,
    DateTimeOffset? ExpiresAt, string RequestedBy, string RequestedById, DateTimeOffset RequestedAt, CreditGrantStatus Status, string? DecidedBy,
    DateTimeOffset? DecidedAt, string? DecisionComment, Guid? EntryId)
{
    public static CreditGrantView From(CreditGrant grant, string customerName) => new(grant.Id, grant.CustomerId, customerName,
        new MoneyAmount(grant.Amount, Currency.Of(grant.Currency)), grant.Source, grant.ReasonCode, grant.Note, grant.ExpiresAt, grant.RequestedByName,
        grant.RequestedById, grant.RequestedAt, grant.Status, grant.DecidedByName, grant.DecidedAt, grant.DecisionComment, grant.EntryId);

    public object ForAudit() => new
    {
        Amount = Amount.ToString(),
        Source = Source.ToString(),
        ReasonCode,
        Note,
        ExpiresAt,
        Status = Status.ToString(),
        DecisionComment,
    };
}

/// <summary>One credit block as the customer page shows it.</summary>
public sealed record CreditBlockView(Guid Id, CreditSource Source, MoneyAmount Original, MoneyAmount Remaining, DateTimeOffset? ExpiresAt, int Priority,
    DateTimeOffset CreatedAt, bool IsExpired, Guid EntryId);

/// <summary>One journal entry's effect on the wallet: who, why, by how much, and the balance after it.</summary>
public sealed record WalletMovement(Guid EntryId, DateTimeOffset At, EntryKind Kind, string Actor, string Reason, string? Link, MoneyAmount Change,
    MoneyAmount BalanceAfter, IReadOnlyList<Guid> Blocks);

/// <summary>A wallet in one currency: the balance, the blocks that make it up, and every entry that moved it.</summary>
public sealed record WalletView(string Currency, MoneyAmount Available, IReadOnlyList<CreditBlockView> Blocks, IReadOnlyList<WalletMovement> Movements);

public sealed record CustomerBalanceView(Guid CustomerId, string ExternalId, string CustomerName, IReadOnlyList<WalletView> Wallets,
    IReadOnlyList<CreditGrantView> PendingGrants);
