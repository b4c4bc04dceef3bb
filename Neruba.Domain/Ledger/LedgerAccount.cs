namespace Neruba.Domain.Ledger;

/// <summary>
/// An account of a project's ledger, in one currency. Customer accounts name their customer.
/// Its balance is the sum of its postings. <see cref="Version"/> changes with every entry that
/// touches the account, so two writers that read the same state cannot both commit.
/// </summary>
public sealed class LedgerAccount
{
    public Guid Id { get; private set; }
    public Guid ProjectId { get; private set; }
    public AccountKind Kind { get; private set; }
    public string Currency { get; private set; } = "";
    public Guid? CustomerId { get; private set; }

    /// <summary>Unique per project, e.g. <c>wallet:{customer}:USD</c> or <c>promotional_expense:USD</c>.</summary>
    public string Code { get; private set; } = "";

    public long Version { get; private set; }

    private LedgerAccount() { }

    public LedgerAccount(Guid id, Guid projectId, AccountKind kind, string currency, Guid? customerId)
    {
        Id = id;
        ProjectId = projectId;
        Kind = kind;
        Currency = currency;
        CustomerId = customerId;
        Code = CodeFor(kind, currency, customerId);
    }

    public static string CodeFor(AccountKind kind, string currency, Guid? customerId) =>
        customerId is { } customer ? $"{kind}:{customer:N}:{currency}" : $"{kind}:{currency}";

    public void Touch() => Version++;
}
