using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Neruba.Domain.Audit;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Ledger;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Benchmarks.Ledger;

/// <summary>
/// Posts journal entries through <see cref="WalletWriter"/> (one transaction per entry, as production does)
/// and prints entries per second: single-threaded, parallel across wallets, and parallel on one wallet.
/// </summary>
public static class LedgerBenchmark
{
    public static async Task RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2_000;
        var workers = Math.Max(2, Environment.ProcessorCount * 2);
        await using var host = await BenchmarkHost.StartAsync();
        var writer = host.Services.GetRequiredService<WalletWriter>();
        var (projectId, customers) = await DemoAsync(host);
        Console.WriteLine($"Ledger benchmark: SQLite file, {Environment.ProcessorCount} cores, {count} entries per scenario, {workers} parallel workers.");

        var keys = 0;
        PostingContext Context() => new(projectId, $"bench-{Interlocked.Increment(ref keys)}", DateTimeOffset.UtcNow, ActorKind.System, "bench", "bench", "benchmark");

        await MeasureAsync("single-threaded grants", count, 1, async _ =>
            await writer.GrantAsync(Context(), customers[0], "USD", CreditSource.SupportGrant, 1_000, null, null));

        await MeasureAsync("parallel grants + consumptions, 6 wallets", count, workers, async i =>
        {
            var customer = customers[i % customers.Count];
            if (i % 2 == 0)
            {
                await writer.GrantAsync(Context(), customer, "USD", CreditSource.SupportGrant, 1_000, null, null);
            }
            else
            {
                await writer.ConsumeAsync(Context(), customer, "USD", 700, null);
            }
        });

        var retriesBefore = writer.Retries;
        await MeasureAsync("parallel grants + consumptions, 1 wallet", count, workers, async i =>
        {
            if (i % 2 == 0)
            {
                await writer.GrantAsync(Context(), customers[1], "USD", CreditSource.SupportGrant, 1_000, null, null);
            }
            else
            {
                await writer.ConsumeAsync(Context(), customers[1], "USD", 700, null);
            }
        });
        Console.WriteLine($"  lost races retried on one wallet: {writer.Retries - retriesBefore}");

        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NerubaDbContext>();
        var unbalanced = await db.Postings.GroupBy(p => new { p.EntryId, p.Currency }).Where(g => g.Sum(p => p.Amount) != 0).CountAsync();
        Console.WriteLine($"Entries: {await db.JournalEntries.CountAsync()}, postings: {await db.Postings.CountAsync()}, unbalanced entries: {unbalanced}, " +
            $"database: {host.DatabaseBytes / 1024.0 / 1024.0:F1} MiB");
    }

    private static async Task MeasureAsync(string name, int count, int workers, Func<int, Task> operation)
    {
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                await operation(i);
            }
        })));
        clock.Stop();
        Console.WriteLine($"  {name,-45} {count / clock.Elapsed.TotalSeconds,10:N0} entries/s  ({clock.ElapsedMilliseconds} ms)");
    }

    private static async Task<(Guid ProjectId, List<Guid> Customers)> DemoAsync(BenchmarkHost host)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NerubaDbContext>();
        var project = await db.Projects.SingleAsync();
        return (project.Id, await db.Customers.Where(c => c.ProjectId == project.Id).OrderBy(c => c.ExternalId).Select(c => c.Id).ToListAsync());
    }
}
