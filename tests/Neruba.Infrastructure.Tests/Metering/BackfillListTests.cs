using System.Text;
using Neruba.Infrastructure.Access.Projects;
using Neruba.Infrastructure.Metering;
using Neruba.Infrastructure.UseCases;
using SortField = Neruba.Infrastructure.Metering.ListBackfillImports.SortField;

namespace Neruba.Infrastructure.Tests.Metering;

/// <summary>The import list pages, sorts and filters by status in the database, per project.</summary>
public class BackfillListTests
{
    [Fact]
    public async Task Imports_sort_by_rejections_across_pages_filter_by_status_and_stay_in_their_project()
    {
        await using var harness = await IngestStoreTests.StartWithMetricAsync();
        var at = harness.Clock.GetUtcNow().AddDays(-1).ToString("O");
        const string header = "event_id,customer_id,metric,occurred_at,properties\n";
        harness.Clock.Advance(TimeSpan.FromMinutes(1));
        await BackfillAndExplorerTests.ImportAsync(harness, "clean.csv", header + $"a1,cus_acme,api_calls,{at},\n");
        harness.Clock.Advance(TimeSpan.FromMinutes(1));
        await BackfillAndExplorerTests.ImportAsync(harness, "two-bad.csv", header + "x\ny\n");
        harness.Clock.Advance(TimeSpan.FromMinutes(1));
        await BackfillAndExplorerTests.ImportAsync(harness, "one-bad.csv", header + $"c1,cus_acme,api_calls,{at},\nz\n");
        harness.Clock.Advance(TimeSpan.FromMinutes(1));
        // Started but not yet run by the job server: it stays queued.
        var queued = await harness.RunAsync<StartBackfillImport, StartBackfillImport.Request, BackfillView>(harness.Admin,
            new("waiting.csv", Encoding.UTF8.GetBytes(header + $"d1,cus_acme,api_calls,{at},\n")));
        Assert.True(queued.Succeeded, queued.Message);

        Task<PageOf<BackfillView>> List(ListBackfillImports.Request request, Actor? actor = null) =>
            harness.ValueAsync<ListBackfillImports, ListBackfillImports.Request, PageOf<BackfillView>>(request, actor);

        var mostRejected = new List<string>();
        for (var page = 0; page < 2; page++)
        {
            mostRejected.Add(Assert.Single((await List(new(null, page, 1, SortField.Rejected, Descending: true))).Items).FileName);
        }

        var newest = await List(new());
        var finished = await List(new(BackfillStatus.Succeeded, 0, 25, SortField.FileName, Descending: false));
        var waiting = await List(new(BackfillStatus.Queued));
        var other = await harness.RunAsync<CreateProject, ProjectSettingsInput, ProjectView>(harness.Admin, new("Other", "USD", "UTC", "100.00"));
        var inOther = await List(new(), harness.Admin with { ProjectId = other.Value!.Id });

        Assert.Equal(["two-bad.csv", "one-bad.csv"], mostRejected);
        Assert.Equal(["waiting.csv", "one-bad.csv", "two-bad.csv", "clean.csv"], newest.Items.Select(i => i.FileName));
        Assert.Equal(["clean.csv", "one-bad.csv", "two-bad.csv"], finished.Items.Select(i => i.FileName));
        Assert.Equal("waiting.csv", Assert.Single(waiting.Items).FileName);
        Assert.Equal(0, inOther.Total);
    }
}
