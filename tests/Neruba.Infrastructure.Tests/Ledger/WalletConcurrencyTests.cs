using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Neruba.Domain.Audit;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Ledger;
using Neruba.Infrastructure.Tests.Support;
using Xunit.Abstractions;

namespace Neruba.Infrastructure.Tests.Ledger;

public class WalletConcurrencyTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Two_hundred_parallel_grants_and_consumptions_on_one_wallet_end_exact_with_no_lost_or_doubled_entry()
    {
        await using var harness = await UseCaseHarness.StartAsync();
        var customerId = await harness.QueryAsync(db => db.Customers.Where(c => c.ExternalId == "cus_acme").Select(c => c.Id).SingleAsync());
        var writer = harness.Services.GetRequiredService<WalletWriter>();
        var random = new Random(42);
        var grants = Enumerable.Range(0, 100).Select(i => (Key: $"g-{i}", Amount: (long)random.Next(100, 10_000))).ToList();
        var consumptions = Enumerable.Range(0, 100).Select(i => (Key: $"c-{i}", Amount: (long)random.Next(100, 8_000))).ToList();
        PostingContext Context(string key) => new(harness.ProjectId, key, harness.Clock.GetUtcNow(), ActorKind.System, "test", "test", "concurrency");

        var clock = Stopwatch.StartNew();
        var grantTasks = grants.Select(g => Task.Run(() => writer.GrantAsync(Context(g.Key), customerId, "USD", CreditSource.SupportGrant, g.Amount, null, null))).ToList();
        var consumeTasks = consumptions.Select(c => Task.Run(() => writer.ConsumeAsync(Context(c.Key), customerId, "USD", c.Amount, null))).ToList();
        // The same keys again, at the same time: each must come back as a replay, never a second entry.
        var replays = grants.Take(20).Select(g => Task.Run(() => writer.GrantAsync(Context(g.Key), customerId, "USD", CreditSource.SupportGrant, g.Amount, null, null))).ToList();
        await Task.WhenAll(grantTasks.Cast<Task>().Concat(consumeTasks).Concat(replays));
        clock.Stop();
        var grantResults = await Task.WhenAll(grantTasks);
        var consumeResults = await Task.WhenAll(consumeTasks);
        var replayResults = await Task.WhenAll(replays);

        var drawn = consumeResults.Sum(r => r.Entry is null ? 0 : r.Entry.Postings.Where(p => p.CreditBlockId != null).Sum(p => p.Amount));
        var expected = grants.Sum(g => g.Amount) - drawn;
        var walletId = await harness.QueryAsync(db => db.LedgerAccounts.Where(a => a.CustomerId == customerId && a.Kind == AccountKind.CustomerWallet).Select(a => a.Id).SingleAsync());

        Assert.Equal(-expected, await harness.QueryAsync(db => db.Postings.Where(p => p.AccountId == walletId).SumAsync(p => p.Amount)));
        Assert.Equal(100, await harness.QueryAsync(db => db.JournalEntries.CountAsync(e => e.Kind == EntryKind.CreditGrant)));
        Assert.Equal(consumeResults.Count(r => r.Entry is not null), await harness.QueryAsync(db => db.JournalEntries.CountAsync(e => e.Kind == EntryKind.CreditApplied)));
        Assert.All(await harness.QueryAsync(db => db.BlockBalancesAsync(walletId, CancellationToken.None)), b => Assert.True(b.Remaining >= 0));
        foreach (var (consumption, result) in consumptions.Zip(consumeResults))
        {
            // Every consumption is accounted for: what the blocks covered plus the shortfall is what was asked.
            var covered = result.Entry?.Postings.Where(p => p.CreditBlockId != null).Sum(p => p.Amount) ?? 0;
            Assert.Equal(consumption.Amount, covered + result.Shortfall);
        }

        Assert.All(replayResults, r => Assert.Contains(grantResults, g => g.Entry.Id == r.Entry.Id));
        output.WriteLine($"220 wallet operations (20 replays) in {clock.ElapsedMilliseconds} ms; {writer.Retries} lost races retried.");
    }
}
