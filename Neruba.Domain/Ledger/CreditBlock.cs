namespace Neruba.Domain.Ledger;

public enum CreditSource
{
    PlanAllowance = 1,
    Promotional = 2,
    SupportGrant = 3,
    Purchase = 4,

    /// <summary>The wallet part of a credit note: money the customer had paid, owed back as credit.</summary>
    CreditNote = 5,

    /// <summary>Money the payment provider collected beyond what the invoice still owed (it was settled another way meanwhile).</summary>
    Overpayment = 6,
}

/// <summary>
/// Credit that arrived together: amount, source, expiry and priority. How much of it is left is the
/// sum of the wallet postings that name it, never a stored number.
/// </summary>
public sealed class CreditBlock
{
    public Guid Id { get; private set; }
    public Guid ProjectId { get; private set; }
    public Guid CustomerId { get; private set; }
    public Guid WalletAccountId { get; private set; }
    public string Currency { get; private set; } = "";
    public CreditSource Source { get; private set; }
    public long Amount { get; private set; }
    public DateTimeOffset? ExpiresAt { get; private set; }

    /// <summary>Among blocks expiring together, lower numbers are used first.</summary>
    public int Priority { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>The journal entry that brought the credit in.</summary>
    public Guid EntryId { get; private set; }

    private CreditBlock() { }

    public CreditBlock(Guid id, Guid projectId, Guid customerId, Guid walletAccountId, string currency, CreditSource source, long amount,
        DateTimeOffset? expiresAt, int? priority, DateTimeOffset createdAt, Guid entryId)
    {
        if (amount <= 0)
        {
            throw new LedgerException("A credit block holds a positive amount.");
        }

        Id = id;
        ProjectId = projectId;
        CustomerId = customerId;
        WalletAccountId = walletAccountId;
        Currency = currency;
        Source = source;
        Amount = amount;
        ExpiresAt = expiresAt;
        Priority = priority ?? DefaultPriority(source);
        CreatedAt = createdAt;
        EntryId = entryId;
    }

    /// <summary>Free credit goes before credit the customer paid for.</summary>
    public static int DefaultPriority(CreditSource source) => source switch
    {
        CreditSource.PlanAllowance => 10,
        CreditSource.Promotional => 20,
        CreditSource.SupportGrant => 30,
        _ => 40,
    };
}
