using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Domain.Customers;
using Neruba.Domain.Metering;
using Neruba.Infrastructure.Access.ApiKeys;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Benchmarks.Ingest;

/// <summary>
/// Posts usage events over loopback HTTP to the real console (embedded mode) from concurrent clients and
/// prints sustained events/s, p50/p99 request latency and the database size, for: batches of 1,000 fresh
/// events, single-event requests, and a full re-send of the batches (all duplicates).
/// </summary>
public static class IngestBenchmark
{
    private const int Customers = 1_000;

    public static async Task RunAsync(string[] args)
    {
        var batches = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 300;
        var singles = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 30_000;
        var clientCounts = args.Length > 2 ? args[2].Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray() : [4];
        await using var console = await ConsoleUnderTest.StartAsync();
        var secret = await PrepareAsync(console.DatabaseFile);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        {
            BaseAddress = console.Address,
            Timeout = TimeSpan.FromMinutes(2),
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        Console.WriteLine($"Ingest benchmark: console on {console.Address}, {Environment.ProcessorCount} cores, {Customers:N0} customers, SQLite file, " +
            $"{batches:N0} batches of 1,000 per scenario.");

        var now = DateTimeOffset.UtcNow;
        var orderedBodies = Bodies(batches, (b, i) => $"b{b}-{i}", now);
        await WarmUpAsync(http, now);

        var before = await MaxIdAsync(console.DatabaseFile);
        var ordered = await RunScenarioAsync(console, http, "batches of 1,000, ordered ids", orderedBodies, 1_000, clients: 4);
        var afterOrdered = await MaxIdAsync(console.DatabaseFile);
        List<byte[]> uuidBodies = [];
        var uuid = 0.0;
        var (uuidFrom, uuidTo) = (afterOrdered, afterOrdered);
        foreach (var clients in clientCounts)
        {
            uuidBodies = Bodies(batches, (_, _) => Guid.NewGuid().ToString(), now);
            uuidFrom = await MaxIdAsync(console.DatabaseFile);
            uuid = await RunScenarioAsync(console, http, "batches of 1,000, random UUIDv4 ids", uuidBodies, 1_000, clients);
            uuidTo = await MaxIdAsync(console.DatabaseFile);
        }

        var beforeSingles = await MaxIdAsync(console.DatabaseFile);
        await RunScenarioAsync(console, http, "single-event requests, UUIDv4 ids", Enumerable.Range(0, singles).Select(i => Body([Event(Guid.NewGuid().ToString(), i, now)])).ToList(), 1, clients: 32);
        var afterSingles = await MaxIdAsync(console.DatabaseFile);
        await RunScenarioAsync(console, http, "re-send of the last UUID batches (duplicates)", uuidBodies, 1_000, clients: 4);
        var afterResend = await MaxIdAsync(console.DatabaseFile);

        Console.WriteLine($"Rows: +{afterOrdered - before:N0} ordered, +{beforeSingles - afterOrdered:N0} UUID, +{afterSingles - beforeSingles:N0} singles, " +
            $"+{afterResend - afterSingles:N0} from the re-send; database {console.DatabaseBytes / 1024.0 / 1024.0:F1} MiB.");
        var rawOrdered = RawSqliteLimit.Measure(console.DatabaseFile, before, afterOrdered);
        var rawUuid = RawSqliteLimit.Measure(console.DatabaseFile, uuidFrom, uuidTo);
        Console.WriteLine($"Limit, the same rows straight into SQLite (same table and indexes, {RawSqliteLimit.RowsPerTransaction:N0}-row transactions, no HTTP):");
        Console.WriteLine($"  ordered ids {rawOrdered,10:N0} rows/s   HTTP ingest reached {ordered / rawOrdered:P0} of it");
        Console.WriteLine($"  UUIDv4 ids  {rawUuid,10:N0} rows/s   HTTP ingest reached {uuid / rawUuid:P0} of it");
    }

    private static List<byte[]> Bodies(int batches, Func<int, int, string> id, DateTimeOffset now) =>
        Enumerable.Range(0, batches).Select(b => Body(Enumerable.Range(0, 1_000).Select(i => Event(id(b, i), b * 1_000 + i, now)))).ToList();

    private static async Task<double> RunScenarioAsync(ConsoleUnderTest console, HttpClient http, string name, List<byte[]> bodies, int eventsPerRequest, int clients)
    {
        var latencies = new double[bodies.Count];
        var next = -1;
        var failures = 0;
        var cpuBefore = console.ProcessorTime;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < bodies.Count)
            {
                var started = Stopwatch.GetTimestamp();
                using var content = new ByteArrayContent(bodies[i]);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await http.PostAsync(new Uri("/api/v1/events", UriKind.Relative), content);
                await response.Content.ReadAsByteArrayAsync();
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })));
        clock.Stop();
        var cpuPerEvent = (console.ProcessorTime - cpuBefore).TotalMicroseconds / (bodies.Count * eventsPerRequest);
        Array.Sort(latencies);
        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"  {name,-42} {bodies.Count * eventsPerRequest / seconds,10:N0} events/s  {bodies.Count / seconds,8:N0} requests/s  " +
            $"p50 {latencies[latencies.Length / 2],7:F1} ms  p99 {latencies[(int)(latencies.Length * 0.99)],7:F1} ms  server CPU {cpuPerEvent,5:F1} µs/event  ({clients} clients, {failures} failed)");
        return bodies.Count * eventsPerRequest / seconds;
    }

    private static async Task WarmUpAsync(HttpClient http, DateTimeOffset now)
    {
        for (var i = 0; i < 200; i++)
        {
            using var content = new ByteArrayContent(Body([Event($"warm-{i}", i, now)]));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var _ = await http.PostAsync(new Uri("/api/v1/events", UriKind.Relative), content);
        }
    }

    private static string Event(string id, int n, DateTimeOffset now) =>
        $$$"""{"eventId":"{{{id}}}","customerId":"bench_{{{n % Customers}}}","metric":"tokens","occurredAt":"{{{now.AddSeconds(-n % 3600):O}}}","properties":{"tokens":{{{n % 977}}},"model":"m{{{n % 7}}}"}}""";

    private static byte[] Body(IEnumerable<string> events) => Encoding.UTF8.GetBytes($$"""{"events":[{{string.Join(',', events)}}]}""");

    /// <summary>Adds customers, a metric and a usage:write key straight into the database the console runs on.</summary>
    private static async Task<string> PrepareAsync(string databaseFile)
    {
        await using var db = new SqliteNerubaDbContext(new DbContextOptionsBuilder<SqliteNerubaDbContext>().UseSqlite($"Data Source={databaseFile};Default Timeout=30").Options);
        var project = await db.Projects.SingleAsync();
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < Customers; i++)
        {
            db.Customers.Add(new Customer(Guid.NewGuid(), project.Id, $"bench_{i}", $"Bench customer {i}", null, "USD", "UTC", now));
        }

        db.BillableMetrics.Add(new BillableMetric(Guid.NewGuid(), project.Id, "tokens", "Tokens", Aggregation.Sum, "tokens", [], now));
        var secret = ApiKeySecrets.NewSecret();
        db.ApiKeys.Add(new ApiKey(Guid.NewGuid(), project.Id, "benchmark", ApiKeySecrets.PrefixOf(secret), ApiKeySecrets.Hash(secret), [ApiScopes.UsageWrite],
            now, "benchmark", "benchmark", null));
        await db.SaveChangesAsync();
        return secret;
    }

    private static async Task<long> MaxIdAsync(string databaseFile)
    {
        await using var db = new SqliteNerubaDbContext(new DbContextOptionsBuilder<SqliteNerubaDbContext>().UseSqlite($"Data Source={databaseFile}").Options);
        return await db.UsageEvents.MaxAsync(e => (long?)e.Id) ?? 0;
    }
}
