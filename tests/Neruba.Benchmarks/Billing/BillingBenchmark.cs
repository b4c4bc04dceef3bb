using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Neruba.Domain.Access;
using Neruba.Domain.Audit;
using Neruba.Domain.Billing;
using Neruba.Domain.Customers;
using Neruba.Domain.Metering;
using Neruba.Infrastructure.Billing;
using Neruba.Infrastructure.Billing.Plans;
using Neruba.Infrastructure.Billing.Runs;
using Neruba.Infrastructure.Metering;
using Neruba.Infrastructure.Persistence;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Benchmarks.Billing;

/// <summary>
/// Bills a month of N customers with subscriptions and M usage events through the real billing-run job
/// on a SQLite file, prints wall time, peak memory and invoices per second, then reruns the month with no
/// new input (a preview that finalizes nothing) and prints whether every draft is identical to its invoice.
/// </summary>
public static class BillingBenchmark
{
    public static async Task RunAsync(string[] args)
    {
        var customers = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
        var events = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
        await using var host = await BenchmarkHost.StartAsync();
        var month = new DateTimeOffset(DateTime.UtcNow.Year, DateTime.UtcNow.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(-1);
        Console.WriteLine($"Billing benchmark: SQLite file, {Environment.ProcessorCount} cores, {customers:N0} customers, {events:N0} events in {month:yyyy-MM}.");

        var setup = Stopwatch.StartNew();
        var actor = await SetUpAsync(host, customers, events, month);
        Console.WriteLine($"  set-up (customers, subscriptions, events through the ingest path): {setup.Elapsed.TotalSeconds:N1} s, database {host.DatabaseBytes / 1024.0 / 1024.0:N1} MiB");

        var (final, finalTime) = await MeasureRunAsync(host, actor, month, BillingRunKind.Manual);
        var (rerun, rerunTime) = await MeasureRunAsync(host, actor, month, BillingRunKind.Rerun);

        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NerubaDbContext>();
        var invoices = await db.Invoices.AsNoTracking().ToDictionaryAsync(i => i.SubscriptionId, i => i.DraftHash);
        var drafts = await db.BillingRunItems.AsNoTracking().Where(i => i.RunId == rerun).ToListAsync();
        var identical = drafts.Count(d => invoices.TryGetValue(d.SubscriptionId, out var hash) && hash == d.DraftHash);
        Console.WriteLine($"  rerun with no new input: {identical:N0} of {invoices.Count:N0} invoices identical{(identical == invoices.Count && drafts.Count == invoices.Count ? " (all)" : " — DIFFERENCES")}");
        Console.WriteLine($"  invoices finalized: {invoices.Count:N0} (run {final})");
        var limit = ReadMonthLimit(Path.Combine(host.Folder, "neruba.db"), month);
        Console.WriteLine($"  limit: the month's events read and counted per customer straight from SQLite in one query: {limit.TotalSeconds:N2} s " +
            $"(the billing run took {finalTime / limit:N1}x that, the rerun {rerunTime / limit:N1}x)");
    }

    /// <summary>The least any run must do, measured on the same file: read every event of the month once, grouped by customer.</summary>
    private static TimeSpan ReadMonthLimit(string databaseFile, DateTimeOffset month)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={databaseFile};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """SELECT "CustomerId", COUNT(*), SUM(length("Properties")) FROM "UsageEvents" WHERE "PeriodStart" = $m GROUP BY "CustomerId" """;
        command.Parameters.AddWithValue("$m", month.UtcTicks);
        var clock = Stopwatch.StartNew();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
        }

        return clock.Elapsed;
    }

    internal static async Task<(Guid Run, TimeSpan Time)> MeasureRunAsync(BenchmarkHost host, Actor actor, DateTimeOffset month, BillingRunKind kind)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NerubaDbContext>();
        var run = new BillingRunRecord
        {
            Id = Guid.NewGuid(), ProjectId = actor.ProjectId, PeriodStart = month, Kind = kind, Status = BillingRunStatus.Queued,
            ActiveKey = BillingRunRecord.ActiveKeyFor(actor.ProjectId, month, null), TriggeredBy = "benchmark", CreatedAt = DateTimeOffset.UtcNow,
            EventWatermark = await db.UsageEvents.MaxAsync(e => (long?)e.Id) ?? 0,
        };
        db.BillingRuns.Add(run);
        await db.SaveChangesAsync();

        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        // The process's own peak includes the set-up; the run's peak is sampled while it runs.
        GC.Collect();
        using var memory = new PeakMemorySampler();
        var clock = Stopwatch.StartNew();
        await scope.ServiceProvider.GetRequiredService<BillingRunJob>().RunAsync(run.Id, CancellationToken.None);
        clock.Stop();
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        var status = await db.BillingRuns.AsNoTracking().Where(r => r.Id == run.Id).Select(r => r.Status).SingleAsync();
        var items = db.BillingRunItems.AsNoTracking().Where(i => i.RunId == run.Id);
        var done = new { Done = await items.CountAsync(i => i.Status == BillingRunItemStatus.Done), Failed = await items.CountAsync(i => i.Status == BillingRunItemStatus.Failed), Status = status };
        Console.WriteLine($"  {(kind == BillingRunKind.Rerun ? "rerun (preview)" : "billing run"),-18} {clock.Elapsed.TotalSeconds,7:N1} s  {done.Done / clock.Elapsed.TotalSeconds,8:N0} invoices/s"
            + $"  CPU {cpu.TotalSeconds:N1} s  {done.Done:N0} done, {done.Failed:N0} failed, {done.Status}; working set at most {memory.PeakBytes / 1024.0 / 1024.0:N0} MiB during the run "
            + $"(process peak {process.PeakWorkingSet64 / 1024.0 / 1024.0:N0} MiB, set-up included)");
        return (run.Id, clock.Elapsed);
    }

    /// <summary>Customers and subscriptions written in bulk; events go through the same ingest path as the API.</summary>
    internal static async Task<Actor> SetUpAsync(BenchmarkHost host, int customers, int events, DateTimeOffset month)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NerubaDbContext>();
        var projectId = await db.Projects.Select(p => p.Id).FirstAsync();
        var actor = new Actor(ActorKind.System, "benchmark", "Benchmark", projectId, new HashSet<string>(ApiScopes.All));
        var runner = scope.ServiceProvider.GetRequiredService<UseCaseRunner>();
        await runner.RunAsync(scope.ServiceProvider.GetRequiredService<SaveMetric>(), actor, new SaveMetric.Request("calls", "Calls", Aggregation.Count, null, []));
        var plan = await runner.RunAsync(scope.ServiceProvider.GetRequiredService<SavePlan>(), actor, new SavePlan.Request("bench", "Bench", "USD",
            BillingInterval.Monthly, "29.00", FeeTiming.InArrears, [new UsageCharge("calls", ChargeModel.Graduated, 0, [new(50, 0.02m), new(null, 0.01m)], 0, 10)],
            "5.00", null));

        var now = DateTimeOffset.UtcNow;
        var ids = new List<string>(customers);
        for (var i = 0; i < customers; i++)
        {
            var customer = new Customer(Guid.NewGuid(), projectId, $"bench_{i:D6}", $"Bench customer {i}", null, "USD", "UTC", now);
            ids.Add(customer.ExternalId);
            db.Customers.Add(customer);
            var subscription = new SubscriptionRecord
            {
                Id = Guid.NewGuid(), ProjectId = projectId, CustomerId = customer.Id, PlanId = plan.Value!.Id, BillingAnchor = month, StartsAt = month,
                CreatedAt = now, Version = 1,
            };
            db.Subscriptions.Add(subscription);
            db.SubscriptionPhases.Add(new SubscriptionPhaseRecord { Id = Guid.NewGuid(), SubscriptionId = subscription.Id, PlanVersionId = plan.Value.Current.Id, From = month });
        }

        await db.SaveChangesAsync();

        var ingest = scope.ServiceProvider.GetRequiredService<IngestService>();
        var seconds = (long)(month.AddMonths(1) - month).TotalSeconds;
        for (var start = 0; start < events; start += IngestService.MaxEventsPerRequest)
        {
            var batch = Enumerable.Range(start, Math.Min(IngestService.MaxEventsPerRequest, events - start))
                .Select(i => new IncomingEvent($"ev-{i}", ids[i % customers], "calls", month.AddSeconds(i * 7919L % seconds).ToString("O"), null))
                .ToList();
            await ingest.IngestAsync(projectId, batch, null, CancellationToken.None);
        }

        return actor;
    }
}
