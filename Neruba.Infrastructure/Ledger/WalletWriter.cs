using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Infrastructure.Ledger;

public sealed record ConsumptionResult(JournalEntry? Entry, long Shortfall, bool Replayed);

/// <summary>
/// Moves credit into and out of wallets (grants, consumption, expiry) safely under concurrency. Operations from
/// concurrent callers are applied in order by one writer, many to a transaction (<see cref="WalletGroupCommit"/>):
/// each reads the block balances the earlier ones left, so none overdraws a block. Consumption and expiry bump the
/// wallet's version, so a writer outside the group that read the same balances cannot also commit.
/// Every operation carries an idempotency key: a repeat returns the first entry and posts nothing.
/// </summary>
public sealed class WalletWriter(IDbContextFactory<NerubaDbContext> dbFactory, TimeProvider clock, ILogger<WalletWriter> logger) : IAsyncDisposable
{
    public const int MaxAttempts = 20;

    private readonly WalletGroupCommit _commit = new(dbFactory, logger);

    /// <summary>How many times a group lost a race and started again (for tests and benchmarks).</summary>
    public long Retries => _commit.Retries;

    /// <summary>How many transactions the writer committed (entries per commit = entries / commits).</summary>
    public long Commits => _commit.Commits;

    /// <summary>Credit in, posted at once (plan allowances, purchases, imports); a repeated key returns the first entry.</summary>
    public Task<(JournalEntry Entry, bool Replayed)> GrantAsync(PostingContext context, Guid customerId, string currency, CreditSource source, long amount,
        DateTimeOffset? expiresAt, string? link, CancellationToken cancellationToken = default) =>
        _commit.RunAsync<(JournalEntry, bool)>(Grant(context, customerId, currency, source, amount, expiresAt, link), cancellationToken);

    public Task<ConsumptionResult> ConsumeAsync(PostingContext context, Guid customerId, string currency, long amount, string? link,
        CancellationToken cancellationToken = default) =>
        _commit.RunAsync<ConsumptionResult>(Consume(context, customerId, currency, amount, link), cancellationToken);

    internal static WalletOperation Grant(PostingContext context, Guid customerId, string currency, CreditSource source, long amount,
        DateTimeOffset? expiresAt, string? link) =>
        new(context.ProjectId, context.IdempotencyKey, async (group, cancellationToken) =>
        {
            if (group.EntryByKey(context.ProjectId, context.IdempotencyKey) is { } existing)
            {
                return (existing, true);
            }

            var wallet = await group.Db.AccountAsync(context.ProjectId, AccountKind.CustomerWallet, currency, customerId, cancellationToken);
            var funding = await group.Db.AccountAsync(context.ProjectId, source == CreditSource.Purchase ? AccountKind.StripeClearing : AccountKind.PromotionalExpense,
                currency, null, cancellationToken);
            var (entry, block) = CreditPostings.Grant(context, wallet, funding, source, amount, expiresAt, null, link);
            await group.PostAsync(wallet, entry, block, cancellationToken);
            return (entry, false);
        });

    internal static WalletOperation Consume(PostingContext context, Guid customerId, string currency, long amount, string? link) =>
        new(context.ProjectId, context.IdempotencyKey, async (group, cancellationToken) =>
        {
            if (group.EntryByKey(context.ProjectId, context.IdempotencyKey) is { } existing)
            {
                return new ConsumptionResult(existing, 0, Replayed: true);
            }

            var wallet = await group.Db.AccountAsync(context.ProjectId, AccountKind.CustomerWallet, currency, customerId, cancellationToken);
            var receivable = await group.Db.AccountAsync(context.ProjectId, AccountKind.CustomerReceivable, currency, customerId, cancellationToken);
            var (entry, shortfall) = CreditPostings.Consume(context, wallet, receivable,
                await group.DrawableAsync(wallet, amount, context.At, cancellationToken), amount, link);
            if (entry is not null)
            {
                wallet.Touch();
                await group.PostAsync(wallet, entry, null, cancellationToken);
            }

            return new ConsumptionResult(entry, shortfall, Replayed: false);
        });

    /// <summary>Writes off every expired remainder in the project (or all projects): one entry per block, keyed by block.</summary>
    public async Task<int> ExpireDueAsync(Guid? projectId, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        List<(Guid ProjectId, Guid WalletId)> wallets;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            wallets = await db.CreditBlocks.AsNoTracking()
                .Where(b => b.ExpiresAt <= now && (projectId == null || b.ProjectId == projectId))
                .Select(b => new { b.ProjectId, b.WalletAccountId }).Distinct()
                .Select(x => ValueTuple.Create(x.ProjectId, x.WalletAccountId)).ToListAsync(cancellationToken);
        }

        var written = await Task.WhenAll(wallets.Select(w => _commit.RunAsync<int>(Expire(w.ProjectId, w.WalletId, now), cancellationToken)));
        return written.Sum();
    }

    private static WalletOperation Expire(Guid walletProject, Guid walletId, DateTimeOffset now) =>
        new(walletProject, null, async (group, cancellationToken) =>
        {
            var db = group.Db;
            var wallet = db.LedgerAccounts.Local.FirstOrDefault(a => a.Id == walletId)
                ?? await db.LedgerAccounts.SingleAsync(a => a.Id == walletId, cancellationToken);
            var expiredAccount = await db.AccountAsync(walletProject, AccountKind.ExpiredCredit, wallet.Currency, null, cancellationToken);
            var count = 0;
            foreach (var block in CreditConsumption.ExpiredRemainders(await group.BlocksAsync(wallet, cancellationToken), now))
            {
                if (await db.AwaitsInvoiceAsync(block, wallet.CustomerId!.Value, cancellationToken))
                {
                    continue;
                }

                var context = new PostingContext(walletProject, $"expiry:{block.BlockId}", now, Domain.Audit.ActorKind.System, "system", "Credit expiry",
                    "Credit expired unused.");
                await group.PostAsync(wallet, CreditPostings.Expire(context, wallet, expiredAccount, block), null, cancellationToken);
                count++;
            }

            if (count > 0)
            {
                wallet.Touch();
            }

            return count;
        });

    /// <summary>Stores the operations as one group, as the writer's loop would (tests use it to decide what shares a commit).</summary>
    internal Task StoreGroupAsync(IReadOnlyList<WalletOperation> group) => _commit.StoreGroupAsync(group);

    internal static bool IsLostRace(Exception exception) => exception switch
    {
        DbUpdateConcurrencyException => true,
        DbUpdateException { InnerException: SqliteException sqlite } => sqlite.SqliteErrorCode is 5 or 6 or 19,
        SqliteException sqlite => sqlite.SqliteErrorCode is 5 or 6,
        DbUpdateException { InnerException: Microsoft.Data.SqlClient.SqlException sql } => sql.Number is 2601 or 2627 or 1205,
        _ => false,
    };

    public ValueTask DisposeAsync() => _commit.DisposeAsync();
}
