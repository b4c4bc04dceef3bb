using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Neruba.Benchmarks.Billing;
using Neruba.Domain.Audit;
using Neruba.Infrastructure.Persistence;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Benchmarks.Pages;

/// <summary>What the console pages are measured on: ids to open, and the signed-in person the table loads run as.</summary>
public sealed record ConsoleData(Actor Person, IReadOnlyList<Guid> CustomerIds, IReadOnlyList<string> CustomerExternalIds, IReadOnlyList<Guid> InvoiceIds);

/// <summary>
/// The big data set, built fast: customers and subscriptions as the billing benchmark writes them, usage events straight into
/// <c>UsageEvents</c> (the ingest path's columns) in a few large transactions, one real billing run for the finalized invoices,
/// and audit rows in bulk.
/// </summary>
public static class ConsoleDataSet
{
    public static async Task<ConsoleData> BuildAsync(BenchmarkHost host, int customers, int events, int auditRows)
    {
        var now = DateTimeOffset.UtcNow;
        var month = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(-1);
        var clock = Stopwatch.StartNew();
        var system = await BillingBenchmark.SetUpAsync(host, customers, 0, month);
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NerubaDbContext>();
        var customerRows = await db.Customers.AsNoTracking().Where(c => c.ProjectId == system.ProjectId).Select(c => new { c.Id, c.ExternalId }).ToListAsync();
        var metricId = await db.BillableMetrics.Where(m => m.ProjectId == system.ProjectId && m.Code == "calls").Select(m => m.Id).SingleAsync();
        Console.WriteLine($"  customers and subscriptions: {customerRows.Count:N0} in {clock.Elapsed.TotalSeconds:N1} s");

        clock.Restart();
        await InsertEventsAsync(Path.Combine(host.Folder, "neruba.db"), system.ProjectId, metricId, customerRows.Select(c => c.Id).ToList(), events, month, now);
        Console.WriteLine($"  usage events straight into UsageEvents: {events:N0} in {clock.Elapsed.TotalSeconds:N1} s");

        clock.Restart();
        await BillingBenchmark.MeasureRunAsync(host, system, month, Infrastructure.Billing.Runs.BillingRunKind.Manual);
        clock.Restart();
        await InsertAuditAsync(host, system.ProjectId, customerRows.Select(c => c.Id).ToList(), auditRows, now);
        Console.WriteLine($"  audit rows: {auditRows:N0} in {clock.Elapsed.TotalSeconds:N1} s");

        var adminId = await db.Users.OrderBy(u => u.CreatedAt).Select(u => u.Id).FirstAsync();
        var invoices = await db.Invoices.AsNoTracking().Where(i => i.ProjectId == system.ProjectId).Select(i => i.Id).ToListAsync();
        return new ConsoleData(Actor.Person(adminId, "Benchmark admin", system.ProjectId), customerRows.Select(c => c.Id).ToList(),
            customerRows.Select(c => c.ExternalId).ToList(), invoices);
    }

    // The same columns and encodings as UsageEventStore (ids as blobs, instants as UTC ticks); 50,000 rows per transaction.
    private static async Task InsertEventsAsync(string file, Guid projectId, Guid metricId, List<Guid> customers, int events, DateTimeOffset month,
        DateTimeOffset now)
    {
        await using var connection = new SqliteConnection($"Data Source={file}");
        await connection.OpenAsync();
        var seconds = (long)(now - month).TotalSeconds;
        var received = now.UtcTicks;
        for (var start = 0; start < events; start += 50_000)
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO "UsageEvents" ("ProjectId", "EventId", "CustomerId", "MetricId", "OccurredAt", "ReceivedAt", "Properties", "PayloadHash", "PeriodStart", "ImportId", "DedupKey")
                VALUES ($p, $e, $c, $m, $o, $r, '{}', $h, $period, NULL, $k)
                """;
            var p = Parameters.Select(name => insert.Parameters.Add(new SqliteParameter { ParameterName = name })).ToArray();
            p[0].Value = projectId.ToByteArray();
            p[3].Value = metricId.ToByteArray();
            p[5].Value = received;
            insert.Prepare();
            for (var i = start; i < Math.Min(events, start + 50_000); i++)
            {
                var occurred = month.AddSeconds(i * 7919L % seconds);
                var eventId = $"console-bench-{i:D8}"; // ordered ids: this benchmark is about reading
                p[1].Value = eventId;
                p[8].Value = Infrastructure.Metering.EventDedupKeys.Of(projectId, eventId, 0);
                p[2].Value = customers[i % customers.Count].ToByteArray();
                p[4].Value = occurred.UtcTicks;
                p[6].Value = i.ToString("x32", System.Globalization.CultureInfo.InvariantCulture);
                p[7].Value = new DateTimeOffset(occurred.Year, occurred.Month, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks;
                await insert.ExecuteNonQueryAsync();
            }

            await transaction.CommitAsync();
        }
    }

    private static readonly string[] Parameters = ["$p", "$e", "$c", "$m", "$o", "$r", "$h", "$period", "$k"];

    private static readonly string[] Actions = ["customer.updated", "invoice.finalized", "credit.granted", "subscription.started", "access.denied"];

    private static async Task InsertAuditAsync(BenchmarkHost host, Guid projectId, List<Guid> customers, int rows, DateTimeOffset now)
    {
        for (var start = 0; start < rows; start += 20_000)
        {
            await using var scope = host.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<NerubaDbContext>();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            for (var i = start; i < Math.Min(rows, start + 20_000); i++)
            {
                var action = Actions[i % Actions.Length];
                db.AuditEntries.Add(new AuditEntry(Guid.NewGuid(), projectId, now.AddSeconds(-i * 13L), ActorKind.User, $"user-{i % 40}", $"Operator {i % 40}", action,
                    action == "access.denied" ? AuditOutcome.Denied : AuditOutcome.Succeeded, "customer", customers[i % customers.Count].ToString(),
                    """{"name":"before"}""", """{"name":"after"}""", null, Guid.NewGuid().ToString("N")));
            }

            await db.SaveChangesAsync();
        }
    }
}
