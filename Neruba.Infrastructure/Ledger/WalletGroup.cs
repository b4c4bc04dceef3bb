using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Infrastructure.Ledger;

/// <summary>
/// What the operations of one group commit share: the context and transaction, the entries already posted under each
/// idempotency key (stored or earlier in the group), and every touched wallet's block balances as the earlier operations
/// of the group left them. Each operation therefore decides on the balances it would have seen had it committed alone.
/// </summary>
internal sealed class WalletGroup(NerubaDbContext db)
{
    private readonly Dictionary<(Guid ProjectId, string Key), JournalEntry> _entries = [];
    private readonly Dictionary<Guid, WalletBlocks> _blocks = [];

    /// <summary>Wallets whose stored blocks were read; the others hold only the blocks granted in this group so far.</summary>
    private readonly HashSet<Guid> _loaded = [];

    public NerubaDbContext Db => db;

    /// <summary>Reads the stored entries of all the group's keys in one query per project (instead of one per operation).</summary>
    public async Task LoadKeysAsync(IEnumerable<(Guid ProjectId, string Key)> keys, CancellationToken cancellationToken)
    {
        foreach (var project in keys.GroupBy(k => k.ProjectId))
        {
            var projectId = project.Key;
            var wanted = project.Select(k => k.Key).Distinct(StringComparer.Ordinal).ToList();
            var stored = await db.JournalEntries.AsNoTracking().Include(e => e.Postings)
                .Where(e => e.ProjectId == projectId && wanted.Contains(e.IdempotencyKey)).ToListAsync(cancellationToken);
            foreach (var entry in stored)
            {
                _entries[(projectId, entry.IdempotencyKey)] = entry;
            }
        }
    }

    /// <summary>The entry already posted under this key, in the database or earlier in this group (keys must be loaded first).</summary>
    public JournalEntry? EntryByKey(Guid projectId, string key) => _entries.GetValueOrDefault((projectId, key));

    /// <summary>The wallet's blocks that still hold credit after the group's earlier operations, with what each holds.</summary>
    public async Task<IReadOnlyList<BlockBalance>> BlocksAsync(LedgerAccount wallet, CancellationToken cancellationToken) =>
        (await BalancesAsync(wallet, cancellationToken)).Holding;

    /// <summary>
    /// The first blocks in consumption order that together cover <paramref name="amount"/> (all of them when they cannot):
    /// exactly the blocks <see cref="CreditConsumption.Plan"/> draws from, without sorting every block of a long-lived wallet per operation.
    /// </summary>
    public async Task<IReadOnlyList<BlockBalance>> DrawableAsync(LedgerAccount wallet, long amount, DateTimeOffset at, CancellationToken cancellationToken) =>
        (await BalancesAsync(wallet, cancellationToken)).Covering(amount, at);

    /// <summary>Adds the entry (and the block it brings in) and moves the wallet's balances as its postings say.</summary>
    public async Task PostAsync(LedgerAccount wallet, JournalEntry entry, CreditBlock? block, CancellationToken cancellationToken)
    {
        // A grant only names its own new block: it needs no read of the wallet's stored blocks.
        var balances = block is not null && entry.Postings.All(p => p.CreditBlockId is null || p.CreditBlockId == block.Id)
            ? Blocks(wallet.Id)
            : await BalancesAsync(wallet, cancellationToken);
        if (block is not null)
        {
            balances.Set(new BlockBalance(block.Id, 0, block.ExpiresAt, block.Priority, block.CreatedAt));
            db.CreditBlocks.Add(block);
        }

        foreach (var posting in entry.Postings.Where(p => p.AccountId == wallet.Id && p.CreditBlockId is not null))
        {
            balances.Move(posting.CreditBlockId!.Value, posting.Amount);
        }

        db.JournalEntries.Add(entry);
        _entries[(entry.ProjectId, entry.IdempotencyKey)] = entry;
    }

    private WalletBlocks Blocks(Guid walletId)
    {
        if (!_blocks.TryGetValue(walletId, out var balances))
        {
            balances = new WalletBlocks();
            _blocks[walletId] = balances;
        }

        return balances;
    }

    private async Task<WalletBlocks> BalancesAsync(LedgerAccount wallet, CancellationToken cancellationToken)
    {
        var balances = Blocks(wallet.Id);
        if (_loaded.Add(wallet.Id) && db.Entry(wallet).State != EntityState.Added)
        {
            // The stored blocks join those granted earlier in the group (not saved yet, so not among them). Spent blocks are
            // left out: nothing draws from them again, and a long-lived wallet has thousands.
            foreach (var stored in await db.HoldingBlocksAsync(wallet.Id, cancellationToken))
            {
                balances.Set(stored);
            }
        }

        return balances;
    }

    /// <summary>One wallet's blocks: every remainder by id, and those still holding credit in consumption order.</summary>
    private sealed class WalletBlocks
    {
        private readonly Dictionary<Guid, BlockBalance> _current = [];
        private readonly SortedSet<BlockBalance> _holding = new(CreditConsumption.Order);

        public IReadOnlyList<BlockBalance> Holding => [.. _holding];

        public void Set(BlockBalance balance)
        {
            if (_current.TryGetValue(balance.BlockId, out var earlier))
            {
                _holding.Remove(earlier);
            }

            _current[balance.BlockId] = balance;
            if (balance.Remaining > 0)
            {
                _holding.Add(balance);
            }
        }

        /// <summary>A posting of <paramref name="amount"/> on the block: its remainder is minus the sum of its postings (LedgerQueries.BlockBalancesAsync).</summary>
        public void Move(Guid blockId, long amount)
        {
            var before = _current[blockId];
            var after = before with { Remaining = checked(before.Remaining - amount) };
            _current[blockId] = after;
            // The order ignores the remainder, so the old record finds the set's entry.
            _holding.Remove(before);
            if (after.Remaining > 0)
            {
                _holding.Add(after);
            }
        }

        public List<BlockBalance> Covering(long amount, DateTimeOffset at)
        {
            var covering = new List<BlockBalance>();
            var sum = 0L;
            foreach (var block in _holding)
            {
                if (sum >= amount)
                {
                    break;
                }

                if (!(block.ExpiresAt <= at))
                {
                    covering.Add(block);
                    sum += block.Remaining;
                }
            }

            return covering;
        }
    }
}
