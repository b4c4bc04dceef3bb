using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Infrastructure.Ledger;

public sealed record ConsumptionResult(JournalEntry? Entry, long Shortfall, bool Replayed);

/// <summary>
/// Moves credit out of wallets (consumption, expiry) safely under concurrency. Each operation reads
/// the block balances and writes its entry in one transaction, and bumps the wallet's version, so two
/// writers that read the same balances cannot both commit; the loser re-reads and tries again.
/// Every operation carries an idempotency key: a repeat returns the first entry and posts nothing.
/// </summary>
public sealed class WalletWriter(IDbContextFactory<NerubaDbContext> dbFactory, TimeProvider clock)
{
    public const int MaxAttempts = 20;

    private long _retries;

    /// <summary>How many times an operation lost a race and started again (for tests and benchmarks).</summary>
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>Credit in, posted at once (plan allowances, purchases, imports); a repeated key returns the first entry.</summary>
    public Task<(JournalEntry Entry, bool Replayed)> GrantAsync(PostingContext context, Guid customerId, string currency, CreditSource source, long amount,
        DateTimeOffset? expiresAt, string? link, CancellationToken cancellationToken = default) =>
        WithRetriesAsync(async db =>
        {
            if (await db.EntryByKeyAsync(context.ProjectId, context.IdempotencyKey, cancellationToken) is { } existing)
            {
                return (existing, true);
            }

            var wallet = await db.AccountAsync(context.ProjectId, AccountKind.CustomerWallet, currency, customerId, cancellationToken);
            var funding = await db.AccountAsync(context.ProjectId, source == CreditSource.Purchase ? AccountKind.StripeClearing : AccountKind.PromotionalExpense,
                currency, null, cancellationToken);
            var (entry, block) = CreditPostings.Grant(context, wallet, funding, source, amount, expiresAt, null, link);
            db.JournalEntries.Add(entry);
            db.CreditBlocks.Add(block);
            return (entry, false);
        }, cancellationToken);

    public Task<ConsumptionResult> ConsumeAsync(PostingContext context, Guid customerId, string currency, long amount, string? link,
        CancellationToken cancellationToken = default) =>
        WithRetriesAsync(async db =>
        {
            if (await db.EntryByKeyAsync(context.ProjectId, context.IdempotencyKey, cancellationToken) is { } existing)
            {
                return new ConsumptionResult(existing, 0, Replayed: true);
            }

            var wallet = await db.AccountAsync(context.ProjectId, AccountKind.CustomerWallet, currency, customerId, cancellationToken);
            var receivable = await db.AccountAsync(context.ProjectId, AccountKind.CustomerReceivable, currency, customerId, cancellationToken);
            var blocks = await db.BlockBalancesAsync(wallet.Id, cancellationToken);
            var (entry, shortfall) = CreditPostings.Consume(context, wallet, receivable, blocks, amount, link);
            if (entry is not null)
            {
                wallet.Touch();
                db.JournalEntries.Add(entry);
            }

            return new ConsumptionResult(entry, shortfall, Replayed: false);
        }, cancellationToken);

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

        var written = 0;
        foreach (var (walletProject, walletId) in wallets)
        {
            written += await WithRetriesAsync(async db =>
            {
                var wallet = await db.LedgerAccounts.SingleAsync(a => a.Id == walletId, cancellationToken);
                var expiredAccount = await db.AccountAsync(walletProject, AccountKind.ExpiredCredit, wallet.Currency, null, cancellationToken);
                var count = 0;
                foreach (var block in CreditConsumption.ExpiredRemainders(await db.BlockBalancesAsync(walletId, cancellationToken), now))
                {
                    if (await db.AwaitsInvoiceAsync(block, wallet.CustomerId!.Value, cancellationToken))
                    {
                        continue;
                    }

                    var context = new PostingContext(walletProject, $"expiry:{block.BlockId}", now, Domain.Audit.ActorKind.System, "system", "Credit expiry",
                        "Credit expired unused.");
                    db.JournalEntries.Add(CreditPostings.Expire(context, wallet, expiredAccount, block));
                    count++;
                }

                if (count > 0)
                {
                    wallet.Touch();
                }

                return count;
            }, cancellationToken);
        }

        return written;
    }

    /// <summary>
    /// Runs <paramref name="work"/> in a fresh context and transaction and saves; on a lost race
    /// (version changed, database busy, idempotency key taken) starts again from a clean read.
    /// </summary>
    private async Task<T> WithRetriesAsync<T>(Func<NerubaDbContext, Task<T>> work, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var strategy = db.Database.CreateExecutionStrategy();
            try
            {
                return await strategy.ExecuteAsync(async () =>
                {
                    db.ChangeTracker.Clear();
                    await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                    var result = await work(db);
                    await db.SaveChangesAsync(cancellationToken);
                    await transaction.CommitAsync(cancellationToken);
                    return result;
                });
            }
            catch (Exception exception) when (attempt < MaxAttempts && IsLostRace(exception))
            {
                Interlocked.Increment(ref _retries);
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 5 * attempt)), cancellationToken);
            }
        }
    }

    internal static bool IsLostRace(Exception exception) => exception switch
    {
        DbUpdateConcurrencyException => true,
        DbUpdateException { InnerException: SqliteException sqlite } => sqlite.SqliteErrorCode is 5 or 6 or 19,
        SqliteException sqlite => sqlite.SqliteErrorCode is 5 or 6,
        DbUpdateException { InnerException: Microsoft.Data.SqlClient.SqlException sql } => sql.Number is 2601 or 2627 or 1205,
        _ => false,
    };
}
