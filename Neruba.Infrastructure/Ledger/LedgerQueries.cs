using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Infrastructure.Ledger;

internal sealed record BlockSum(Guid BlockId, long Sum);

/// <summary>Reads and creates ledger accounts, and derives balances from postings (never from a stored figure).</summary>
internal static class LedgerQueries
{
    /// <summary>The project's account of this kind, created on first use (tracked, saved with the caller's changes).</summary>
    public static async Task<LedgerAccount> AccountAsync(this NerubaDbContext db, Guid projectId, AccountKind kind, string currency, Guid? customerId,
        CancellationToken cancellationToken)
    {
        var code = LedgerAccount.CodeFor(kind, currency, customerId);
        var account = db.LedgerAccounts.Local.FirstOrDefault(a => a.ProjectId == projectId && a.Code == code)
            ?? await db.LedgerAccounts.FirstOrDefaultAsync(a => a.ProjectId == projectId && a.Code == code, cancellationToken);
        if (account is null)
        {
            account = new LedgerAccount(Guid.NewGuid(), projectId, kind, currency, customerId);
            db.LedgerAccounts.Add(account);
        }

        return account;
    }

    /// <summary>Every block of a wallet with what it still holds: minus the sum of the postings that name it.</summary>
    public static async Task<IReadOnlyList<BlockBalance>> BlockBalancesAsync(this NerubaDbContext db, Guid walletAccountId, CancellationToken cancellationToken)
    {
        var blocks = await db.CreditBlocks.AsNoTracking().Where(b => b.WalletAccountId == walletAccountId).ToListAsync(cancellationToken);
        var sums = await db.BlockSums(walletAccountId).ToDictionaryAsync(x => x.BlockId, x => x.Sum, cancellationToken);
        return blocks.Select(b => new BlockBalance(b.Id, -sums.GetValueOrDefault(b.Id), b.ExpiresAt, b.Priority, b.CreatedAt)).ToList();
    }

    /// <summary>The blocks of a wallet that still hold credit (the only ones a consumption or expiry can draw from), in one query.</summary>
    public static Task<List<BlockBalance>> HoldingBlocksAsync(this NerubaDbContext db, Guid walletAccountId, CancellationToken cancellationToken) =>
        db.Postings.AsNoTracking()
            .Where(p => p.AccountId == walletAccountId && p.CreditBlockId != null)
            .GroupBy(p => p.CreditBlockId)
            .Select(g => new { BlockId = g.Key, Sum = g.Sum(p => p.Amount) })
            .Where(s => s.Sum < 0)
            .Join(db.CreditBlocks.AsNoTracking(), s => s.BlockId, b => (Guid?)b.Id, (s, b) => new BlockBalance(b.Id, -s.Sum, b.ExpiresAt, b.Priority, b.CreatedAt))
            .ToListAsync(cancellationToken);

    /// <summary>The sum of the postings naming each block of a wallet (negative: what the block still holds).</summary>
    public static IQueryable<BlockSum> BlockSums(this NerubaDbContext db, Guid walletAccountId) =>
        db.Postings.AsNoTracking()
            .Where(p => p.AccountId == walletAccountId && p.CreditBlockId != null)
            .GroupBy(p => p.CreditBlockId)
            .Select(g => new BlockSum(g.Key!.Value, g.Sum(p => p.Amount)));

    public static Task<long> BalanceAsync(this NerubaDbContext db, Guid accountId, CancellationToken cancellationToken) =>
        db.Postings.Where(p => p.AccountId == accountId).SumAsync(p => p.Amount, cancellationToken);

    public static Task<JournalEntry?> EntryByKeyAsync(this NerubaDbContext db, Guid projectId, string idempotencyKey, CancellationToken cancellationToken) =>
        db.JournalEntries.Include(e => e.Postings).FirstOrDefaultAsync(e => e.ProjectId == projectId && e.IdempotencyKey == idempotencyKey, cancellationToken);
}
