namespace Neruba.Domain.Ledger;

/// <summary>
/// One line of a journal entry: an amount (signed minor units) on one account. A posting on a wallet
/// names the credit block it adds to or draws from, so every block's remainder is a sum of postings too.
/// </summary>
public sealed class Posting
{
    public Guid Id { get; private set; }
    public Guid EntryId { get; private set; }
    public Guid AccountId { get; private set; }
    public long Amount { get; private set; }
    public string Currency { get; private set; } = "";
    public Guid? CreditBlockId { get; private set; }

    private Posting() { }

    public Posting(Guid id, Guid accountId, long amount, string currency, Guid? creditBlockId = null)
    {
        Id = id;
        AccountId = accountId;
        Amount = amount;
        Currency = currency;
        CreditBlockId = creditBlockId;
    }

    internal void AttachTo(Guid entryId) => EntryId = entryId;
}
