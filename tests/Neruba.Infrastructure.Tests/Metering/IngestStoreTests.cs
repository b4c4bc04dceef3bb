using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Neruba.Domain.Metering;
using Neruba.Infrastructure.Metering;
using Neruba.Infrastructure.Tests.Support;

namespace Neruba.Infrastructure.Tests.Metering;

public class IngestStoreTests
{
    [Fact]
    public async Task Stored_events_are_found_by_the_model_with_the_same_ids_and_times_it_uses()
    {
        await using var harness = await StartWithMetricAsync();
        var at = harness.Clock.GetUtcNow().AddMinutes(-3);

        var result = await IngestAsync(harness, new IncomingEvent("e1", "cus_acme", "api_calls", at.ToString("O"), Props("""{"b":2,"a":"x"}""")));

        Assert.Equal(1, result.Accepted);
        var customerId = await harness.QueryAsync(db => db.Customers.Where(c => c.ExternalId == "cus_acme").Select(c => c.Id).SingleAsync());
        var stored = await harness.QueryAsync(db => db.UsageEvents.SingleAsync(e => e.ProjectId == harness.ProjectId && e.CustomerId == customerId && e.OccurredAt == at));
        Assert.Equal("""{"a":"x","b":2}""", stored.Properties);
        Assert.Equal(UsagePeriods.StartOf(at), stored.PeriodStart);
    }

    [Fact]
    public async Task A_fault_while_storing_a_group_stores_none_of_it()
    {
        await using var harness = await StartWithMetricAsync();
        var store = harness.Services.GetRequiredService<UsageEventStore>();
        var now = harness.Clock.GetUtcNow();
        var Event = await EventMakerAsync(harness);

        // The second batch holds an event without an id: the NOT NULL constraint fails, and the first batch must not stay.
        var good = new IngestBatch(harness.ProjectId, now, null, [Event("fine-1"), Event("fine-2")]);
        var broken = new IngestBatch(harness.ProjectId, now, null, [Event("fine-3"), Event(null!)]);
        await Assert.ThrowsAnyAsync<Exception>(() => store.WriteAsync([good, broken], CancellationToken.None));

        Assert.Equal(0, await harness.QueryAsync(db => db.UsageEvents.CountAsync()));
    }

    [Fact]
    public async Task A_batch_the_database_refuses_fails_only_its_own_request_and_the_others_of_its_group_are_stored()
    {
        await using var harness = await StartWithMetricAsync();
        var writer = new IngestWriter(harness.Services.GetRequiredService<UsageEventStore>(), NullLogger<IngestWriter>.Instance);
        await using var _ = writer;
        var now = harness.Clock.GetUtcNow();
        var Event = await EventMakerAsync(harness);
        IngestWriter.Work Work(params PreparedEvent[] events) => IngestWriter.Work.For(new IngestBatch(harness.ProjectId, now, null, events));

        // One group commit of three requests; the middle one holds an event without an id, which NOT NULL refuses.
        var group = new[] { Work(Event("a-1"), Event("a-2")), Work(Event("b-1"), Event(null!)), Work(Event("c-1")) };
        await writer.StoreGroupAsync(group);

        Assert.Equal([IngestStatus.Accepted, IngestStatus.Accepted], (await group[0].Done.Task).Select(r => r.Status));
        await Assert.ThrowsAsync<IngestFailedException>(() => group[1].Done.Task);
        Assert.Equal([IngestStatus.Accepted], (await group[2].Done.Task).Select(r => r.Status));
        Assert.Equal(["a-1", "a-2", "c-1"], await harness.QueryAsync(db => db.UsageEvents.OrderBy(e => e.EventId).Select(e => e.EventId).ToListAsync()));
    }

    [Fact]
    public async Task When_the_queue_is_full_a_request_is_refused_and_an_import_waits_for_room()
    {
        await using var harness = await StartWithMetricAsync();
        var writer = new IngestWriter(harness.Services.GetRequiredService<UsageEventStore>(), NullLogger<IngestWriter>.Instance, capacity: 1);
        await using var _ = writer;
        var now = harness.Clock.GetUtcNow();
        var Event = await EventMakerAsync(harness);
        IngestBatch Batch(string id) => new(harness.ProjectId, now, null, [Event(id)]);

        // Another connection holds the write lock, so the first event stays in the writer and fills the queue.
        await using var holder = new SqliteConnection(harness.Services.GetRequiredService<Neruba.Infrastructure.Configuration.NerubaSettings>().ConnectionString);
        await holder.OpenAsync();
        await using var transaction = (SqliteTransaction)await holder.BeginTransactionAsync();
        await using (var write = holder.CreateCommand())
        {
            write.Transaction = transaction;
            write.CommandText = "UPDATE \"__EFMigrationsHistory\" SET \"ProductVersion\" = \"ProductVersion\"";
            await write.ExecuteNonQueryAsync();
        }

        var queued = writer.WriteAsync(Batch("queued"), waitForRoom: false, CancellationToken.None);
        var refused = await Assert.ThrowsAsync<IngestQueueFullException>(() => writer.WriteAsync(Batch("refused"), waitForRoom: false, CancellationToken.None));
        var waiting = writer.WriteAsync(Batch("import"), waitForRoom: true, CancellationToken.None);
        Assert.Equal(IngestWriter.RetryAfter, refused.RetryAfter);
        Assert.False(waiting.IsCompleted, "the import waits instead of failing");
        await transaction.RollbackAsync();

        Assert.Equal(IngestStatus.Accepted, Assert.Single(await queued).Status);
        Assert.Equal(IngestStatus.Accepted, Assert.Single(await waiting).Status);
        Assert.Equal(["import", "queued"], await harness.QueryAsync(db => db.UsageEvents.OrderBy(e => e.EventId).Select(e => e.EventId).ToListAsync()));
    }

    [Fact]
    public async Task Duplicates_within_one_request_count_once()
    {
        await using var harness = await StartWithMetricAsync();
        var at = harness.Clock.GetUtcNow().AddMinutes(-1).ToString("O");

        var result = await IngestAsync(harness,
            new IncomingEvent("twice", "cus_acme", "api_calls", at, null),
            new IncomingEvent("twice", "cus_acme", "api_calls", at, null));

        Assert.Equal((1, 1), (result.Accepted, result.Duplicates));
    }

    internal static async Task<UseCaseHarness> StartWithMetricAsync()
    {
        var harness = await UseCaseHarness.StartAsync();
        var saved = await harness.RunAsync<SaveMetric, SaveMetric.Request, MetricView>(harness.Admin, new("api_calls", "API calls", Aggregation.Count, null, []));
        Assert.True(saved.Succeeded, saved.Message);
        return harness;
    }

    /// <summary>Events ready for the store (as the validator leaves them), for the demo customer and the metric, happening now.</summary>
    internal static async Task<Func<string, PreparedEvent>> EventMakerAsync(UseCaseHarness harness)
    {
        var metric = await harness.QueryAsync(db => db.BillableMetrics.SingleAsync());
        var customer = await harness.QueryAsync(db => db.Customers.FirstAsync());
        var now = harness.Clock.GetUtcNow();
        return id => new PreparedEvent(0, id, customer.Id, metric.Id, now, "{}", id, UsagePeriods.StartOf(now));
    }

    internal static Task<IngestResult> IngestAsync(UseCaseHarness harness, params IncomingEvent[] events) =>
        harness.Services.GetRequiredService<IngestService>().IngestAsync(harness.ProjectId, events, null, CancellationToken.None);

    private static JsonElement Props(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
