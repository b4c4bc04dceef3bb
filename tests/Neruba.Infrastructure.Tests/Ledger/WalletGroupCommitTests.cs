using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Neruba.Domain.Audit;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Ledger;
using Neruba.Infrastructure.Tests.Ledger.Integrity;
using Neruba.Infrastructure.Tests.Support;

namespace Neruba.Infrastructure.Tests.Ledger;

/// <summary>The wallet writer's group commit: many operations in one transaction must end exactly as if each had committed alone.</summary>
public class WalletGroupCommitTests
{
    [Fact]
    public async Task Ten_consumptions_sharing_one_commit_draw_each_from_what_the_earlier_ones_left()
    {
        await using var harness = await UseCaseHarness.StartAsync();
        var (writer, customerId) = await WriterAsync(harness);
        await writer.GrantAsync(Context(harness, "g"), customerId, "USD", CreditSource.SupportGrant, 1_000, null, null);
        var consumptions = Enumerable.Range(0, 10).Select(i => WalletWriter.Consume(Context(harness, $"c-{i}"), customerId, "USD", 150, null)).ToList();

        await writer.StoreGroupAsync(consumptions);

        var results = await ResultsAsync<ConsumptionResult>(consumptions);
        Assert.Equal([0, 0, 0, 0, 0, 0, 50, 150, 150, 150], results.Select(r => r.Shortfall));
        Assert.Equal(7, results.Count(r => r.Entry is not null));
        await EndsEmptyAndIntactAsync(harness, customerId);
    }

    [Fact]
    public async Task Three_hundred_concurrent_consumptions_on_one_wallet_never_overdraw_a_block()
    {
        await using var harness = await UseCaseHarness.StartAsync();
        var (writer, customerId) = await WriterAsync(harness);
        await writer.GrantAsync(Context(harness, "g-1"), customerId, "USD", CreditSource.Promotional, 4_000, harness.Clock.GetUtcNow().AddDays(3), null);
        await writer.GrantAsync(Context(harness, "g-2"), customerId, "USD", CreditSource.SupportGrant, 5_000, null, null);
        var random = new Random(7);
        var asked = Enumerable.Range(0, 300).Select(i => (Key: $"c-{i}", Amount: (long)random.Next(1, 80))).ToList();

        var results = await Task.WhenAll(asked.Select(c => Task.Run(() => writer.ConsumeAsync(Context(harness, c.Key), customerId, "USD", c.Amount, null))));

        // More was asked than granted: every unit of credit is used, none twice, and each caller's draw plus shortfall is what it asked.
        Assert.True(asked.Sum(c => c.Amount) > 9_000);
        Assert.Equal(9_000, results.Sum(r => Drawn(r.Entry)));
        Assert.All(asked.Zip(results), x => Assert.Equal(x.First.Amount, Drawn(x.Second.Entry) + x.Second.Shortfall));
        var walletId = await WalletIdAsync(harness, customerId);
        Assert.All(await harness.QueryAsync(db => db.BlockBalancesAsync(walletId, CancellationToken.None)), b => Assert.True(b.Remaining >= 0));
        await EndsEmptyAndIntactAsync(harness, customerId);
    }

    [Fact]
    public async Task The_same_key_twice_in_one_group_posts_once_and_both_callers_get_the_first_entry()
    {
        await using var harness = await UseCaseHarness.StartAsync();
        var (writer, customerId) = await WriterAsync(harness);
        var group = new List<WalletOperation>
        {
            WalletWriter.Grant(Context(harness, "grant"), customerId, "USD", CreditSource.SupportGrant, 500, null, null),
            WalletWriter.Grant(Context(harness, "grant"), customerId, "USD", CreditSource.SupportGrant, 500, null, null),
            WalletWriter.Consume(Context(harness, "spend"), customerId, "USD", 200, null),
            WalletWriter.Consume(Context(harness, "spend"), customerId, "USD", 200, null),
        };

        await writer.StoreGroupAsync(group);

        var grants = await ResultsAsync<(JournalEntry Entry, bool Replayed)>(group.Take(2));
        var spends = await ResultsAsync<ConsumptionResult>(group.Skip(2));
        Assert.Equal([false, true], grants.Select(g => g.Replayed));
        Assert.Equal(grants[0].Entry.Id, grants[1].Entry.Id);
        Assert.Equal([false, true], spends.Select(s => s.Replayed));
        Assert.Equal(spends[0].Entry!.Id, spends[1].Entry!.Id);
        Assert.Equal(2, await harness.QueryAsync(db => db.JournalEntries.CountAsync(e => e.IdempotencyKey == "grant" || e.IdempotencyKey == "spend")));
        Assert.Equal(-300, await WalletBalanceAsync(harness, customerId));
    }

    [Fact]
    public async Task A_failing_operation_in_a_group_fails_alone_and_the_others_are_posted()
    {
        await using var harness = await UseCaseHarness.StartAsync();
        var (writer, customerId) = await WriterAsync(harness);
        var group = new List<WalletOperation>
        {
            WalletWriter.Grant(Context(harness, "first"), customerId, "USD", CreditSource.SupportGrant, 700, null, null),
            // Refused by a money rule while the group is applied...
            WalletWriter.Consume(Context(harness, "zero"), customerId, "USD", 0, null),
            // ...and refused by the database when the group is saved (no such customer for the new wallet).
            WalletWriter.Grant(Context(harness, "nobody"), Guid.NewGuid(), "USD", CreditSource.SupportGrant, 100, null, null),
            WalletWriter.Consume(Context(harness, "last"), customerId, "USD", 300, null),
        };

        await writer.StoreGroupAsync(group);

        await Assert.ThrowsAsync<LedgerException>(() => group[1].Done);
        await Assert.ThrowsAsync<DbUpdateException>(() => group[2].Done);
        Assert.False((await ResultsAsync<(JournalEntry Entry, bool Replayed)>(group.Take(1)))[0].Replayed);
        Assert.Equal(0, (await ResultsAsync<ConsumptionResult>(group.Skip(3)))[0].Shortfall);
        Assert.Equal(["first", "last"], await harness.QueryAsync(db => db.JournalEntries.OrderBy(e => e.IdempotencyKey).Select(e => e.IdempotencyKey).ToListAsync()));
        Assert.Equal(-400, await WalletBalanceAsync(harness, customerId));
        await LedgerIntegrityAssert.PassesAsync(harness);
    }

    [Fact]
    public async Task A_caller_that_stops_waiting_gets_its_entry_posted_once_and_a_repeat_returns_it()
    {
        await using var harness = await UseCaseHarness.StartAsync();
        var (writer, customerId) = await WriterAsync(harness);
        await writer.GrantAsync(Context(harness, "g"), customerId, "USD", CreditSource.SupportGrant, 10_000, null, null);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => writer.ConsumeAsync(Context(harness, "never"), customerId, "USD", 10, null, cancelled.Token));

        var calls = new List<Task>();
        for (var i = 0; i < 20; i++)
        {
            using var stop = new CancellationTokenSource();
            calls.Add(writer.ConsumeAsync(Context(harness, $"c-{i}"), customerId, "USD", 100, null, stop.Token));
            stop.Cancel();
        }

        foreach (var call in calls)
        {
            try
            {
                await call;
            }
            catch (OperationCanceledException)
            {
                // The caller stopped waiting; the writer did not stop writing.
            }
        }

        // One writer, in order: once a later operation is done, the earlier ones are too.
        await writer.GrantAsync(Context(harness, "after"), customerId, "USD", CreditSource.SupportGrant, 1, null, null);
        var repeats = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => writer.ConsumeAsync(Context(harness, $"c-{i}"), customerId, "USD", 100, null)));
        Assert.All(repeats, r => Assert.True(r.Replayed));
        Assert.Equal(20, await harness.QueryAsync(db => db.JournalEntries.CountAsync(e => e.Kind == EntryKind.CreditApplied)));
        Assert.Equal(0, await harness.QueryAsync(db => db.JournalEntries.CountAsync(e => e.IdempotencyKey == "never")));
        Assert.Equal(-8_001, await WalletBalanceAsync(harness, customerId));
    }

    [Fact]
    public async Task A_writer_outside_the_group_that_read_the_wallet_before_a_group_commit_cannot_commit_on_it()
    {
        await using var harness = await UseCaseHarness.StartAsync();
        var (writer, customerId) = await WriterAsync(harness);
        await writer.GrantAsync(Context(harness, "g"), customerId, "USD", CreditSource.SupportGrant, 1_000, null, null);
        var walletId = await WalletIdAsync(harness, customerId);

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => harness.QueryAsync(async db =>
        {
            var wallet = await db.LedgerAccounts.SingleAsync(a => a.Id == walletId);
            await writer.ConsumeAsync(Context(harness, "inside"), customerId, "USD", 600, null);
            wallet.Touch();
            return await db.SaveChangesAsync();
        }));
    }

    /// <summary>Every unit granted was used, and the integrity check (no block below zero or above its grant) passes.</summary>
    private static async Task EndsEmptyAndIntactAsync(UseCaseHarness harness, Guid customerId)
    {
        Assert.Equal(0, await WalletBalanceAsync(harness, customerId));
        await LedgerIntegrityAssert.PassesAsync(harness);
    }

    private static long Drawn(JournalEntry? entry) => entry?.Postings.Where(p => p.CreditBlockId != null).Sum(p => p.Amount) ?? 0;

    private static async Task<List<T>> ResultsAsync<T>(IEnumerable<WalletOperation> operations)
    {
        var results = new List<T>();
        foreach (var operation in operations)
        {
            results.Add((T)await operation.Done);
        }

        return results;
    }

    private static PostingContext Context(UseCaseHarness harness, string key) =>
        new(harness.ProjectId, key, harness.Clock.GetUtcNow(), ActorKind.System, "test", "test", "group commit");

    private static async Task<(WalletWriter Writer, Guid CustomerId)> WriterAsync(UseCaseHarness harness) =>
        (harness.Services.GetRequiredService<WalletWriter>(),
            await harness.QueryAsync(db => db.Customers.Where(c => c.ExternalId == "cus_acme").Select(c => c.Id).SingleAsync()));

    private static Task<Guid> WalletIdAsync(UseCaseHarness harness, Guid customerId) =>
        harness.QueryAsync(db => db.LedgerAccounts.Where(a => a.CustomerId == customerId && a.Kind == AccountKind.CustomerWallet).Select(a => a.Id).SingleAsync());

    private static async Task<long> WalletBalanceAsync(UseCaseHarness harness, Guid customerId)
    {
        var walletId = await WalletIdAsync(harness, customerId);
        return await harness.QueryAsync(db => db.BalanceAsync(walletId, CancellationToken.None));
    }
}
