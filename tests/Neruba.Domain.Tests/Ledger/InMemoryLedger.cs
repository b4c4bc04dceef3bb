using Neruba.Domain.Audit;
using Neruba.Domain.Ledger;

namespace Neruba.Domain.Tests.Ledger;

/// <summary>
/// The ledger rules applied to one customer's wallet in memory: what the database writer does,
/// without the database, so properties can run thousands of sequences quickly.
/// </summary>
public sealed class InMemoryLedger
{
    private static readonly Guid Project = Guid.Parse("00000000-0000-0000-0000-0000000000aa");
    private static readonly Guid Customer = Guid.Parse("00000000-0000-0000-0000-0000000000cc");
    private int _keys;

    public LedgerAccount Wallet { get; } = new(Guid.NewGuid(), Project, AccountKind.CustomerWallet, "USD", Customer);
    public LedgerAccount Expense { get; } = new(Guid.NewGuid(), Project, AccountKind.PromotionalExpense, "USD", null);
    public LedgerAccount Receivable { get; } = new(Guid.NewGuid(), Project, AccountKind.CustomerReceivable, "USD", Customer);
    public LedgerAccount Expired { get; } = new(Guid.NewGuid(), Project, AccountKind.ExpiredCredit, "USD", null);

    public List<JournalEntry> Entries { get; } = [];
    public List<CreditBlock> Blocks { get; } = [];
    public DateTimeOffset Now { get; private set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public void Advance(TimeSpan by) => Now += by;

    public PostingContext Context(string reason) =>
        new(Project, $"key-{++_keys}", Now, ActorKind.System, "test", "test", reason);

    public long Balance(LedgerAccount account) => Entries.SelectMany(e => e.Postings).Where(p => p.AccountId == account.Id).Sum(p => p.Amount);

    /// <summary>What a block still holds: minus the sum of the wallet postings that name it.</summary>
    public long Remaining(Guid blockId) => -Entries.SelectMany(e => e.Postings).Where(p => p.CreditBlockId == blockId).Sum(p => p.Amount);

    public IReadOnlyList<BlockBalance> BlockBalances() =>
        Blocks.Select(b => new BlockBalance(b.Id, Remaining(b.Id), b.ExpiresAt, b.Priority, b.CreatedAt)).ToList();

    public CreditBlock Grant(long amount, DateTimeOffset? expiresAt, int? priority = null, CreditSource source = CreditSource.SupportGrant)
    {
        var (entry, block) = CreditPostings.Grant(Context("grant"), Wallet, Expense, source, amount, expiresAt, priority, null);
        Entries.Add(entry);
        Blocks.Add(block);
        return block;
    }

    public (JournalEntry? Entry, long Shortfall) Consume(long amount)
    {
        var result = CreditPostings.Consume(Context("consume"), Wallet, Receivable, BlockBalances(), amount, null);
        if (result.Entry is not null)
        {
            Entries.Add(result.Entry);
        }

        return result;
    }

    public int ExpireDue()
    {
        var expired = CreditConsumption.ExpiredRemainders(BlockBalances(), Now);
        foreach (var block in expired)
        {
            Entries.Add(CreditPostings.Expire(Context("expiry"), Wallet, Expired, block));
        }

        return expired.Count;
    }

    public JournalEntry Reverse(JournalEntry original)
    {
        var reversal = CreditPostings.Reverse(Context("reverse"), original, Blocks.ToDictionary(b => b.Id, b => Remaining(b.Id)));
        Entries.Add(reversal);
        return reversal;
    }
}
