using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Neruba.Domain.Metering;
using Neruba.Infrastructure.Metering;
using Neruba.Infrastructure.Tests.Support;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Tests.Metering;

public class BackfillAndExplorerTests
{
    [Fact]
    public async Task A_csv_backfill_goes_through_the_ingest_path_and_a_second_run_adds_nothing()
    {
        await using var harness = await IngestStoreTests.StartWithMetricAsync();
        var at = harness.Clock.GetUtcNow().AddDays(-1).ToString("O");
        var csv = $"""
            event_id,customer_id,metric,occurred_at,properties
            b1,cus_acme,api_calls,{at},"{"{"}""region"":""eu""{"}"}"
            b2,cus_acme,api_calls,{at},
            b3,cus_nobody,api_calls,{at},
            b4,cus_acme,api_calls,not-a-time,
            broken line
            """;

        var first = await ImportAsync(harness, "events.csv", csv);
        var second = await ImportAsync(harness, "events.csv", csv);

        Assert.Equal((BackfillStatus.Succeeded, 5, 2, 0, 3), (first.Status, first.Total, first.Accepted, first.Duplicates, first.Rejected));
        Assert.Equal((2, 0), (second.Duplicates, second.Accepted));
        Assert.Equal(2, await harness.QueryAsync(db => db.UsageEvents.CountAsync()));
        var rejections = await harness.QueryAsync(db => db.BackfillImports.Where(b => b.Id == first.Id).Select(b => b.RejectionsCsv).SingleAsync());
        Assert.Contains("Unknown customer 'cus_nobody'", rejections, StringComparison.Ordinal);
        Assert.Contains("occurredAt must be", rejections, StringComparison.Ordinal);
        Assert.Contains("columns", rejections, StringComparison.Ordinal);
        // Every cell of the download is quoted, the status too, so no spreadsheet splits or evaluates one.
        Assert.StartsWith("\"line\",\"event_id\",\"status\",\"reason\"\r\n", rejections, StringComparison.Ordinal);
        Assert.Contains("\"rejected\"", rejections, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_jsonl_backfill_is_read_line_by_line()
    {
        await using var harness = await IngestStoreTests.StartWithMetricAsync();
        var at = harness.Clock.GetUtcNow().AddHours(-2).ToString("O");
        var jsonl = $$$"""
            {"eventId":"j1","customerId":"cus_acme","metric":"api_calls","occurredAt":"{{{at}}}"}
            {"eventId":"j2","customerId":"cus_acme","metric":"api_calls","occurredAt":"{{{at}}}","properties":{"n":1}}
            not json
            """;

        var import = await ImportAsync(harness, "events.jsonl", jsonl);

        Assert.Equal((2, 1), (import.Accepted, import.Rejected));
    }

    [Fact]
    public async Task The_explorer_counts_each_event_once_per_period_however_often_it_was_sent()
    {
        await using var harness = await IngestStoreTests.StartWithMetricAsync();
        var now = harness.Clock.GetUtcNow();
        // The month's first instant, not "a minute ago", which is last month early on the 1st.
        var thisMonth = UsagePeriods.StartOf(now).ToString("O");
        var lastMonth = UsagePeriods.StartOf(now).AddDays(-3).ToString("O");
        IncomingEvent E(string id, string at) => new(id, "cus_acme", "api_calls", at, null);

        await IngestStoreTests.IngestAsync(harness, E("a", thisMonth), E("b", thisMonth), E("c", lastMonth));
        await IngestStoreTests.IngestAsync(harness, E("a", thisMonth), E("b", thisMonth), E("c", lastMonth));

        var view = await harness.RunAsync<ExploreUsage, ExploreUsage.Request, UsageExplorerView>(harness.Admin, new("cus_acme", "api_calls", 3));
        Assert.True(view.Succeeded, view.Message);
        Assert.Equal([2m, 1m, 0m], view.Value!.Periods.Select(p => p.Value));
        var search = await harness.RunAsync<ListUsageEvents, ListUsageEvents.Request, PageOf<UsageEventRow>>(harness.Admin, new("cus_acme", "api_calls", "b", 0, 10));
        Assert.Equal("b", Assert.Single(search.Value!.Items).EventId);
    }

    [Fact]
    public async Task A_metric_is_in_use_from_the_periods_shown_or_from_older_events_and_a_pick_list_skips_the_check()
    {
        await using var harness = await IngestStoreTests.StartWithMetricAsync();
        var longAgo = UsagePeriods.StartOf(harness.Clock.GetUtcNow()).AddMonths(-2).ToString("O");
        await IngestStoreTests.IngestAsync(harness, new IncomingEvent("old", "cus_acme", "api_calls", longAgo, null));

        var recent = await harness.ValueAsync<ExploreUsage, ExploreUsage.Request, UsageExplorerView>(new("cus_acme", "api_calls", 1));
        var all = await harness.ValueAsync<ExploreUsage, ExploreUsage.Request, UsageExplorerView>(new("cus_acme", "api_calls", 3));
        var checkedList = await harness.ValueAsync<ListMetrics, ListMetrics.Request, IReadOnlyList<MetricView>>(new());
        var pickList = await harness.ValueAsync<ListMetrics, ListMetrics.Request, IReadOnlyList<MetricView>>(new(WithUse: false));

        Assert.Equal((0, true), (recent.Periods.Sum(p => p.Events), recent.Metric.InUse));
        Assert.Equal((1, true), (all.Periods.Sum(p => p.Events), all.Metric.InUse));
        Assert.True(checkedList.Single(m => m.Code == "api_calls").InUse);
        Assert.Equal(checkedList.Select(m => m.Code), pickList.Select(m => m.Code));
        Assert.All(pickList, m => Assert.False(m.InUse));
    }

    internal static async Task<BackfillView> ImportAsync(UseCaseHarness harness, string fileName, string content)
    {
        var started = await harness.RunAsync<StartBackfillImport, StartBackfillImport.Request, BackfillView>(harness.Admin, new(fileName, Encoding.UTF8.GetBytes(content)));
        Assert.True(started.Succeeded, started.Message);
        // Run the job here rather than waiting for the job server: the same code, deterministic timing.
        await harness.Services.GetRequiredService<BackfillImportJob>().RunAsync(started.Value!.Id, CancellationToken.None);
        var all = await harness.RunAsync<ListBackfillImports, ListBackfillImports.Request, PageOf<BackfillView>>(harness.Admin, new());
        return all.Value!.Items.Single(i => i.Id == started.Value.Id);
    }
}
