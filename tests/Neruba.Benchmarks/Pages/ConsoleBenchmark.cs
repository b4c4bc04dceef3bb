using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Neruba.Benchmarks.Ingest;
using Neruba.Infrastructure.Audit;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Customers;
using Neruba.Infrastructure.Customers.Timeline;
using Neruba.Infrastructure.Metering;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Benchmarks.Pages;

/// <summary>
/// The console under load: the big data set, 50 signed-in people (each its own cookies) loading the console pages at once over
/// loopback HTTP from the real console process. Detail pages and the usage explorer load their data while prerendering, so the
/// GET times their queries. List tables (MudTable server data) load only once the circuit runs, so their page load (the list
/// use case as the table calls it) is timed separately, in-process, 50 at once against the same file.
/// The limit: GET /health/live through the same pipeline, same concurrency.
/// </summary>
public static partial class ConsoleBenchmark
{
    private const string Password = "Benchmark-Password-1";

    private static int s_thinkMs;

    public static async Task RunAsync(string[] args)
    {
        var customers = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
        var events = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
        var users = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 50;
        // Between two pages a person reads: 0 makes every user a tight loop (a saturation test, not people).
        s_thinkMs = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 1000;
        const int auditRows = 100_000, perUser = 10;
        Console.WriteLine($"Console benchmark: {Environment.ProcessorCount} cores, {customers:N0} customers, {events:N0} events, {auditRows:N0} audit rows, {users} users, {s_thinkMs} ms between a user's pages.");
        var host = await BenchmarkHost.StartAsync();
        host.KeepFolder = true;
        var data = await ConsoleDataSet.BuildAsync(host, customers, events, auditRows);
        Console.WriteLine($"  database {host.DatabaseBytes / 1024.0 / 1024.0:N0} MiB, {data.InvoiceIds.Count:N0} invoices");
        await using var console = await ConsoleUnderTest.StartAsync(host.Folder);
        var clients = await Task.WhenAll(Enumerable.Range(0, users).Select(_ => SignInAsync(console.Address)));
        try
        {
            var limit = await MeasureHttpAsync(clients, perUser, _ => "/health/live", null);
            Print("limit: GET /health/live", limit, null);
            var pages = new (string Name, Func<Random, string> Url, string? Expect)[]
            {
                ("customer page", r => $"/customers/{data.CustomerIds[r.Next(data.CustomerIds.Count)]}", "Bench customer"),
                ("invoice page", r => $"/invoices/{data.InvoiceIds[r.Next(data.InvoiceIds.Count)]}", "INV-"),
                ("usage explorer", r => $"/usage?customer={data.CustomerExternalIds[r.Next(data.CustomerExternalIds.Count)]}&metric=calls", "usage-periods"),
                ("invoice list (shell)", _ => "/invoices", "invoice-table"),
                ("customer list (shell)", _ => "/customers", "customer-table"),
                ("audit log (shell)", _ => "/audit", "audit-table"),
            };
            foreach (var (name, url, expect) in pages)
            {
                Print("GET " + name, await MeasureHttpAsync(clients, perUser, url, expect), limit);
            }

            await using var scope = host.Services.CreateAsyncScope();
            var runner = scope.ServiceProvider.GetRequiredService<UseCaseRunner>();
            var s = scope.ServiceProvider;
            var tables = new (string Name, Func<Random, Task<bool>> Load)[]
            {
                ("invoice list table", r => Ok(runner.RunAsync(s.GetRequiredService<ListInvoices>(), data.Person, new ListInvoices.Request(null, null, null, r.Next(40), 25)))),
                ("invoice list, sorted by amount", r => Ok(runner.RunAsync(s.GetRequiredService<ListInvoices>(), data.Person,
                    new ListInvoices.Request(null, null, null, r.Next(40), 25, ListInvoices.SortField.AmountDue)))),
                ("customer list table", r => Ok(runner.RunAsync(s.GetRequiredService<ListCustomers>(), data.Person,
                    new ListCustomers.Request(null, r.Next(40), 25, ListCustomers.SortField.Name, false)))),
                ("customer invoices panel", r => Ok(runner.RunAsync(s.GetRequiredService<ListInvoices>(), data.Person,
                    new ListInvoices.Request(null, null, data.CustomerExternalIds[r.Next(data.CustomerExternalIds.Count)], 0, 50)))),
                ("audit log table", r => Ok(runner.RunAsync(s.GetRequiredService<SearchAudit>(), data.Person, new SearchAudit.Request(null, r.Next(40), 25)))),
                ("audit log, sorted by actor", r => Ok(runner.RunAsync(s.GetRequiredService<SearchAudit>(), data.Person,
                    new SearchAudit.Request(null, r.Next(40), 25, SearchAudit.SortField.Actor, false)))),
                ("customer page: timeline", r => Ok(runner.RunAsync(s.GetRequiredService<GetCustomerTimeline>(), data.Person,
                    new GetCustomerTimeline.Request(data.CustomerExternalIds[r.Next(data.CustomerExternalIds.Count)])))),
                ("usage explorer: periods", r => Ok(runner.RunAsync(s.GetRequiredService<ExploreUsage>(), data.Person,
                    new ExploreUsage.Request(data.CustomerExternalIds[r.Next(data.CustomerExternalIds.Count)], "calls")))),
                ("usage explorer: late backlog", _ => Ok(runner.RunAsync(s.GetRequiredService<GetLateBacklog>(), data.Person, new GetLateBacklog.Request()))),
                ("usage explorer events table", r => Ok(runner.RunAsync(s.GetRequiredService<ListUsageEvents>(), data.Person,
                    new ListUsageEvents.Request(data.CustomerExternalIds[r.Next(data.CustomerExternalIds.Count)], "calls", null, 0, 25)))),
            };
            foreach (var (name, load) in tables)
            {
                Print("table " + name, await MeasureAsync(users, perUser, load), limit);
            }
        }
        finally
        {
            Array.ForEach(clients, c => c.Dispose());
            await host.DisposeAsync();
        }
    }

    private static async Task<bool> Ok<T>(Task<UseCaseResult<T>> result) => (await result).Succeeded;

    private static async Task<HttpClient> SignInAsync(Uri address)
    {
#pragma warning disable CA2000 // The client owns and disposes its handler.
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() }, true)
            { BaseAddress = address };
#pragma warning restore CA2000
        var page = await client.GetStringAsync(new Uri("/account/sign-in", UriKind.Relative));
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(AntiforgeryToken().Match(page).Groups[1].Value),
            ["Email"] = "admin@neruba.local", ["Password"] = Password, ["ReturnUrl"] = "/",
        });
        using var response = await client.PostAsync(new Uri("/account/sign-in/submit", UriKind.Relative), form);
        return response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.OriginalString == "/"
            ? client
            : throw new InvalidOperationException($"Sign-in failed: {response.StatusCode} {response.Headers.Location}");
    }

    private static Task<Timings> MeasureHttpAsync(HttpClient[] clients, int perUser, Func<Random, string> url, string? expect) =>
        MeasureAsync(clients.Length, perUser, async (r, user) =>
        {
            using var response = await clients[user].GetAsync(new Uri(url(r), UriKind.Relative));
            var body = await response.Content.ReadAsStringAsync();
            return response.IsSuccessStatusCode && (expect is null || body.Contains(expect, StringComparison.Ordinal));
        });

    private static Task<Timings> MeasureAsync(int users, int perUser, Func<Random, Task<bool>> load) => MeasureAsync(users, perUser, (r, _) => load(r));

    // One warm-up request per user, then every user sends its requests one after another, all users at once.
    private static async Task<Timings> MeasureAsync(int users, int perUser, Func<Random, int, Task<bool>> load)
    {
        await Task.WhenAll(Enumerable.Range(0, users).Select(u => load(new Random(u), u)));
        var times = new List<double>[users];
        var failures = 0;
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, users).Select(async u =>
        {
            var random = new Random(1000 + u);
            times[u] = new List<double>(perUser);
            for (var i = 0; i < perUser; i++)
            {
                // Users start spread over one think time and wait 0.5-1.5 think times between pages.
                await Task.Delay(i == 0 ? random.Next(s_thinkMs + 1) : s_thinkMs / 2 + random.Next(s_thinkMs + 1));
                var start = Stopwatch.GetTimestamp();
                var ok = await load(random, u);
                times[u].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                if (!ok)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }));
        var all = times.SelectMany(t => t).Order().ToList();
        return new Timings(all, failures, all.Count / wall.Elapsed.TotalSeconds);

    }

    private static void Print(string name, Timings t, Timings? limit) =>
        Console.WriteLine($"  {name,-40} p50 {t.P(50),7:N1} ms  p95 {t.P(95),7:N1} ms  p99 {t.P(99),7:N1} ms  {t.PerSecond,7:N0} req/s"
            + (limit is null ? "" : $"  p95 x{t.P(95) / limit.P(95),6:N1} the limit") + (t.Failures > 0 ? $"  {t.Failures} FAILED" : ""));

    private sealed record Timings(List<double> Sorted, int Failures, double PerSecond)
    {
        public double P(int percentile) => Sorted[Math.Min(Sorted.Count - 1, (int)Math.Ceiling(percentile / 100.0 * Sorted.Count) - 1)];
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
