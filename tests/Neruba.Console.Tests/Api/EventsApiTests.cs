using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Neruba.Console.Tests.Support;
using Neruba.Domain.Access;
using Neruba.Infrastructure.Metering;
using Neruba.Infrastructure.Persistence;
using static Neruba.Console.Tests.Api.CustomersApiTests;

namespace Neruba.Console.Tests.Api;

public sealed class EventsApiTests : IAsyncLifetime, IDisposable
{
    private readonly ConsoleAppFactory _app = new();
    private HttpClient _events = default!;

    public async Task InitializeAsync() => _events = await SetUpAsync(_app);

    /// <summary>Two metrics (api_calls, tokens), and a client with a usage:write key.</summary>
    private static async Task<HttpClient> SetUpAsync(ConsoleAppFactory app)
    {
        using var setup = app.CreateApiClient(await app.CreateApiKeyAsync(null, ApiScopes.SetupWrite));
        using var calls = await SendJsonAsync(setup, HttpMethod.Put, "/api/v1/metrics/api_calls", """{"name":"API calls","aggregation":"count"}""");
        using var tokens = await SendJsonAsync(setup, HttpMethod.Put, "/api/v1/metrics/tokens", """{"name":"Tokens","aggregation":"sum","property":"tokens"}""");
        Assert.Equal(HttpStatusCode.OK, calls.StatusCode);
        Assert.Equal(HttpStatusCode.OK, tokens.StatusCode);
        return app.CreateApiClient(await app.CreateApiKeyAsync(null, ApiScopes.UsageWrite));
    }

    [Fact]
    public async Task A_full_ingest_queue_answers_503_with_Retry_After_and_the_queued_request_is_stored_once_the_database_catches_up()
    {
        using var app = new ConsoleAppFactory(settings: new Dictionary<string, string> { [IngestWriter.CapacitySettingKey] = "1" });
        using var events = await SetUpAsync(app);
        string One(string id) => Batch([Event(id, "cus_acme", "api_calls", Now, "{}")]);
        // A first request also records the key's last use (a write), so the requests below write nothing before the queue.
        using (var warmUp = await PostJsonAsync(events, "/api/v1/events", One("warm-up")))
        {
            Assert.Equal(HttpStatusCode.OK, warmUp.StatusCode);
        }

        // Another connection holds the write lock, as a slow disk or a long transaction would: the first request's event
        // waits in the writer and fills the queue (capacity 1), so of two requests one is stored later and one is refused now.
        Task<HttpResponseMessage> first, second;
        await using (var holder = new SqliteConnection($"Data Source={app.DatabaseFile}"))
        {
            await holder.OpenAsync();
            await using var transaction = (SqliteTransaction)await holder.BeginTransactionAsync(System.Data.IsolationLevel.Serializable);
            await using (var write = holder.CreateCommand())
            {
                write.Transaction = transaction;
                write.CommandText = "UPDATE \"__EFMigrationsHistory\" SET \"ProductVersion\" = \"ProductVersion\"";
                await write.ExecuteNonQueryAsync();
            }

            first = PostJsonAsync(events, "/api/v1/events", One("first"));
            second = PostJsonAsync(events, "/api/v1/events", One("second"));
            using var refused = await await Task.WhenAny(first, second);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Contains("nothing of this request was", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            await transaction.RollbackAsync();
        }

        using var firstResponse = await first;
        using var secondResponse = await second;
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable], new[] { firstResponse.StatusCode, secondResponse.StatusCode }.Order());
        await using var scope = app.Services.CreateAsyncScope();
        Assert.Equal(2, await scope.ServiceProvider.GetRequiredService<NerubaDbContext>().UsageEvents.CountAsync());
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _events.Dispose();
        _app.Dispose();
    }

    private static string Now => DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O");

    [Fact]
    public async Task A_batch_is_accepted_and_a_resend_is_all_duplicates_adding_no_rows()
    {
        var batch = Batch(Enumerable.Range(0, 50).Select(i => Event($"e-{i}", "cus_acme", "tokens", Now, $$"""{"tokens": {{i}}}""")));

        var first = await PostAsync(batch);
        var again = await PostAsync(batch);

        Assert.Equal(50, first.GetProperty("accepted").GetInt32());
        Assert.Equal(0, again.GetProperty("accepted").GetInt32());
        Assert.Equal(50, again.GetProperty("duplicates").GetInt32());
        Assert.All(again.GetProperty("results").EnumerateArray(), r => Assert.Equal("duplicate", r.GetProperty("status").GetString()));
        Assert.Equal(50, await StoredCountAsync());
    }

    [Fact]
    public async Task The_same_payload_spelled_differently_is_still_a_duplicate()
    {
        var at = DateTimeOffset.UtcNow.AddMinutes(-2);
        await PostAsync(Batch([Event("same", "cus_acme", "tokens", at.ToString("O"), """{"tokens": 5, "model": "a"}""")]));

        var respelled = await PostAsync(Batch([Event("same", "cus_acme", "tokens", at.ToOffset(TimeSpan.FromHours(2)).ToString("O"), """{"model":"a","tokens":5.0}""")]));

        Assert.Equal(1, respelled.GetProperty("duplicates").GetInt32());
    }

    [Fact]
    public async Task The_same_id_with_another_payload_is_a_conflict_naming_the_id_and_the_first_stands()
    {
        await PostAsync(Batch([Event("evt-9", "cus_acme", "tokens", Now, """{"tokens": 5}""")]));

        var changed = await PostAsync(Batch([Event("evt-9", "cus_acme", "tokens", Now, """{"tokens": 500}""")]));

        var item = changed.GetProperty("results")[0];
        Assert.Equal("conflict", item.GetProperty("status").GetString());
        Assert.Contains("evt-9", item.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, changed.GetProperty("conflicts").GetInt32());
        Assert.Equal(1, await StoredCountAsync());
    }

    [Theory]
    [InlineData("""{"eventId":"r1","customerId":"cus_nobody","metric":"api_calls","occurredAt":"2026-01-01T00:00:00Z"}""", "Unknown customer")]
    [InlineData("""{"eventId":"r2","customerId":"cus_acme","metric":"no_such_metric","occurredAt":"2026-01-01T00:00:00Z"}""", "Unknown metric")]
    [InlineData("""{"eventId":"r3","customerId":"cus_acme","metric":"api_calls","occurredAt":"2099-01-01T00:00:00Z"}""", "in the future")]
    [InlineData("""{"eventId":"r4","customerId":"cus_acme","metric":"api_calls","occurredAt":"2026-01-01T00:00:00"}""", "time zone")]
    [InlineData("""{"eventId":"r5","customerId":"cus_acme","metric":"api_calls","occurredAt":"2026-01-01T00:00:00Z","properties":[1,2]}""", "must be a JSON object")]
    [InlineData("""{"customerId":"cus_acme","metric":"api_calls","occurredAt":"2026-01-01T00:00:00Z"}""", "eventId is required")]
    [InlineData("""{"eventId":7,"customerId":"cus_acme","metric":"api_calls","occurredAt":"2026-01-01T00:00:00Z"}""", "eventId must be a string")]
    [InlineData("""{"eventId":"r8","customerId":"cus_acme","metric":"tokens","occurredAt":"2026-01-01T00:00:00Z","properties":{"tokens":"many"}}""", "needs a number")]
    [InlineData("""{"eventId":"r9","customerId":"cus_acme","metric":"api_calls","occurredAt":"2026-01-01T00:00:00Z","extra":1}""", "Unknown field 'extra'")]
    [InlineData("""{"eventId":"r10","customerId":"cus_acme","metric":"api_calls","occurredAt":"2026-01-01T00:00:00Z","properties":{"deep":{"x":1}}}""", "must be a string")]
    [InlineData("""42""", "must be a JSON object")]
    public async Task Each_bad_event_is_rejected_with_its_reason_and_nothing_of_it_is_stored(string badEvent, string reason)
    {
        var response = await PostAsync($$"""{"events":[{{badEvent}}, {{Event("good", "cus_acme", "api_calls", Now, "{}")}}]}""");

        var results = response.GetProperty("results");
        Assert.Equal("rejected", results[0].GetProperty("status").GetString());
        Assert.Contains(reason, results[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("accepted", results[1].GetProperty("status").GetString());
        Assert.Equal(1, await StoredCountAsync());
    }

    [Fact]
    public async Task Malformed_oversized_and_overfull_requests_are_refused_whole()
    {
        using var malformed = await PostJsonAsync(_events, "/api/v1/events", """{"events":[{"eventId":"x",""");
        using var notEvents = await PostJsonAsync(_events, "/api/v1/events", """{"events":{}}""");
        using var overfull = await PostJsonAsync(_events, "/api/v1/events", Batch(Enumerable.Range(0, 1001).Select(i => Event($"o{i}", "cus_acme", "api_calls", Now, "{}"))));
        using var oversized = await PostJsonAsync(_events, "/api/v1/events", """{"events":[{"eventId":"big","properties":{"p":"X"}}]}""".Replace("X", new string('x', 2_200_000), StringComparison.Ordinal));

        await AssertProblemAsync(malformed, HttpStatusCode.BadRequest, null);
        await AssertProblemAsync(notEvents, HttpStatusCode.BadRequest, "events");
        await AssertProblemAsync(overfull, HttpStatusCode.BadRequest, "events");
        await AssertProblemAsync(oversized, HttpStatusCode.RequestEntityTooLarge, null);
        Assert.Equal(0, await StoredCountAsync());
    }

    [Fact]
    public async Task An_event_for_an_invoiced_month_is_reported_late_and_one_for_a_month_not_yet_invoiced_is_not()
    {
        var invoicedMonth = DateTimeOffset.UtcNow.AddMonths(-2);
        var openMonth = DateTimeOffset.UtcNow.AddMonths(-1);
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            // What a final billing run leaves for the customer's month: its cutoff, here at the events stored so far.
            var db = scope.ServiceProvider.GetRequiredService<NerubaDbContext>();
            var customer = await db.Customers.SingleAsync(c => c.ExternalId == "cus_acme");
            db.UsageCutoffs.Add(new Infrastructure.Metering.UsageCutoffRecord
            {
                ProjectId = customer.ProjectId, CustomerId = customer.Id, PeriodStart = Domain.Metering.UsagePeriods.StartOf(invoicedMonth),
                EventWatermark = await db.UsageEvents.MaxAsync(e => (long?)e.Id) ?? 0, RunId = Guid.NewGuid(), CreatedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
        }

        var response = await PostAsync(Batch([Event("late-1", "cus_acme", "api_calls", invoicedMonth.ToString("O"), "{}"),
            Event("open-1", "cus_acme", "api_calls", openMonth.ToString("O"), "{}"), Event("now-1", "cus_acme", "api_calls", Now, "{}")]));

        Assert.Equal(1, response.GetProperty("late").GetInt32());
        Assert.True(response.GetProperty("results")[0].GetProperty("late").GetBoolean());
        Assert.Contains("late backlog", response.GetProperty("results")[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.False(response.GetProperty("results")[1].GetProperty("late").GetBoolean());
        Assert.False(response.GetProperty("results")[2].GetProperty("late").GetBoolean());
    }

    private static string Event(string id, string customer, string metric, string at, string properties) =>
        $$"""{"eventId":"{{id}}","customerId":"{{customer}}","metric":"{{metric}}","occurredAt":"{{at}}","properties":{{properties}}}""";

    private static string Batch(IEnumerable<string> events) => $$"""{"events":[{{string.Join(',', events)}}]}""";

    private async Task<JsonElement> PostAsync(string body)
    {
        using var response = await PostJsonAsync(_events, "/api/v1/events", body);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<int> StoredCountAsync()
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<NerubaDbContext>().UsageEvents.CountAsync();
    }
}
