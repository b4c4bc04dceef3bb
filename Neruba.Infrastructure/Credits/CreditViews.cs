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
/// <param name="HeldForMonth">Expired, but kept (and still counted) until the invoice of this month, which it may pay, is finalized.</param>
/// <param name="MissedMonth">Added after this month ended, so that month's invoice does not use it; it pays later months.</param>
public sealed record CreditBlockView(Guid Id, CreditSource Source, MoneyAmount Original, MoneyAmount Remaining, DateTimeOffset? ExpiresAt, int Priority,
    DateTimeOffset CreatedAt, bool IsExpired, Guid EntryId, DateTimeOffset? HeldForMonth = null, DateTimeOffset? MissedMonth = null);

/// <summary>One journal entry's effect on the wallet: who, why, by how much, and the balance after it.</summary>
public sealed record WalletMovement(Guid EntryId, DateTimeOffset At, EntryKind Kind, string Actor, string Reason, string? Link, MoneyAmount Change,
    MoneyAmount BalanceAfter, IReadOnlyList<Guid> Blocks);

/// <summary>A wallet in one currency: the balance, the blocks that make it up, and every entry that moved it.</summary>
/// <param name="Balance">The ledger's figure: the sum of every entry, = <paramref name="Available"/> + <paramref name="HeldForInvoices"/> + <paramref name="AwaitingWriteOff"/>.</param>
/// <param name="Available">What unexpired blocks hold: the credit a new invoice can use.</param>
/// <param name="HeldForInvoices">Expired blocks kept for the invoice of the month they were valid in.</param>
/// <param name="AwaitingWriteOff">Expired blocks the next expiry job (every few minutes) writes off.</param>
public sealed record WalletView(string Currency, MoneyAmount Balance, MoneyAmount Available, MoneyAmount HeldForInvoices, MoneyAmount AwaitingWriteOff,
    IReadOnlyList<CreditBlockView> Blocks, IReadOnlyList<WalletMovement> Movements);

/// <param name="OwedOnInvoices">What the customer owes on finalized invoices (its receivable, per currency, where not zero): a lost dispute shows here.</param>
public sealed record CustomerBalanceView(Guid CustomerId, string ExternalId, string CustomerName, IReadOnlyList<WalletView> Wallets,
    IReadOnlyList<CreditGrantView> PendingGrants, IReadOnlyList<MoneyAmount> OwedOnInvoices);
