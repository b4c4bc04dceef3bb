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
/// Posts journal entries through <see cref="WalletWriter"/> (its group commit, as production does) and prints entries per
/// second: single-threaded, parallel callers across all demo wallets, parallel callers on one wallet; then the limit of the
/// same file measured in the same run (durable one-row commits per second) and the ratio to it.
/// </summary>
public static class LedgerBenchmark
{
    public static async Task RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5_000;
        var workers = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 64;
        await using var host = await BenchmarkHost.StartAsync();
        var writer = host.Services.GetRequiredService<WalletWriter>();
        var (projectId, customers) = await DemoAsync(host);
        Console.WriteLine($"Ledger benchmark: SQLite file, {Environment.ProcessorCount} cores, {count} entries per scenario, {workers} parallel callers.");

        var keys = 0;
        PostingContext Context() => new(projectId, $"bench-{Interlocked.Increment(ref keys)}", DateTimeOffset.UtcNow, ActorKind.System, "bench", "bench", "benchmark");
        Task GrantOrConsume(int i, Guid customer) => i % 2 == 0
            ? writer.GrantAsync(Context(), customer, "USD", CreditSource.SupportGrant, 1_000, null, null)
            : writer.ConsumeAsync(Context(), customer, "USD", 700, null);

        var single = await MeasureAsync(writer, "single-threaded grants", count / 5, 1, _ =>
            writer.GrantAsync(Context(), customers[0], "USD", CreditSource.SupportGrant, 1_000, null, null));
        var many = await MeasureAsync(writer, $"parallel grants + consumptions, {customers.Count} wallets", count, workers, i => GrantOrConsume(i, customers[i % customers.Count]));
        var retriesBefore = writer.Retries;
        var one = await MeasureAsync(writer, "parallel grants + consumptions, 1 wallet", count, workers, i => GrantOrConsume(i, customers[1]));
        Console.WriteLine($"  lost races retried: {writer.Retries - retriesBefore}");

        var limit = await DurableCommitsPerSecondAsync(host, count / 5);
        Console.WriteLine($"  limit: durable one-row commits on the same file {limit,10:N0} commits/s");
        Console.WriteLine($"  ratio to the limit (entries/s per commit/s): single {single / limit:F2}, {customers.Count} wallets {many / limit:F2}, 1 wallet {one / limit:F2}");

        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NerubaDbContext>();
        var unbalanced = await db.Postings.GroupBy(p => new { p.EntryId, p.Currency }).Where(g => g.Sum(p => p.Amount) != 0).CountAsync();
        var negative = await db.Postings.Where(p => p.CreditBlockId != null).GroupBy(p => p.CreditBlockId).CountAsync(g => g.Sum(p => p.Amount) > 0);
        Console.WriteLine($"Entries: {await db.JournalEntries.CountAsync()}, postings: {await db.Postings.CountAsync()}, unbalanced entries: {unbalanced}, " +
            $"overdrawn blocks: {negative}, database: {host.DatabaseBytes / 1024.0 / 1024.0:F1} MiB");
    }

    private static async Task<double> MeasureAsync(WalletWriter writer, string name, int count, int workers, Func<int, Task> operation)
    {
        var next = -1;
        var commits = writer.Commits;
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
        var perSecond = count / clock.Elapsed.TotalSeconds;
        Console.WriteLine($"  {name,-45} {perSecond,10:N0} entries/s  ({clock.ElapsedMilliseconds} ms, {count / (double)Math.Max(1, writer.Commits - commits):F1} per commit)");
        return perSecond;
    }

    /// <summary>What the disk allows one entry per transaction: one-row inserts, each committed durably (the file's own journal mode and synchronous).</summary>
    private static async Task<double> DurableCommitsPerSecondAsync(BenchmarkHost host, int commits)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NerubaDbContext>();
        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();
        await using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE BenchCommits (N INTEGER NOT NULL)";
            await create.ExecuteNonQueryAsync();
        }

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < commits; i++)
        {
            await using var transaction = await connection.BeginTransactionAsync();
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO BenchCommits (N) VALUES (1)";
            await insert.ExecuteNonQueryAsync();
            await transaction.CommitAsync();
        }

        return commits / clock.Elapsed.TotalSeconds;
    }

    private static async Task<(Guid ProjectId, List<Guid> Customers)> DemoAsync(BenchmarkHost host)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NerubaDbContext>();
        var project = await db.Projects.SingleAsync();
        return (project.Id, await db.Customers.Where(c => c.ProjectId == project.Id).OrderBy(c => c.ExternalId).Select(c => c.Id).ToListAsync());
    }
}
