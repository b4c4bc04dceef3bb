using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
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
        var metric = await harness.QueryAsync(db => db.BillableMetrics.SingleAsync());
        var customer = await harness.QueryAsync(db => db.Customers.FirstAsync());
        var now = harness.Clock.GetUtcNow();
        PreparedEvent Event(string id) => new(0, id, customer.Id, metric.Id, now, "{}", id, UsagePeriods.StartOf(now));

        // The second batch holds an event without an id: the NOT NULL constraint fails, and the first batch must not stay.
        var good = new IngestBatch(harness.ProjectId, now, null, [Event("fine-1"), Event("fine-2")]);
        var broken = new IngestBatch(harness.ProjectId, now, null, [Event("fine-3"), Event(null!)]);
        await Assert.ThrowsAnyAsync<Exception>(() => store.WriteAsync([good, broken], CancellationToken.None));

        Assert.Equal(0, await harness.QueryAsync(db => db.UsageEvents.CountAsync()));
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

    internal static Task<IngestResult> IngestAsync(UseCaseHarness harness, params IncomingEvent[] events) =>
        harness.Services.GetRequiredService<IngestService>().IngestAsync(harness.ProjectId, events, null, CancellationToken.None);

    private static JsonElement Props(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
