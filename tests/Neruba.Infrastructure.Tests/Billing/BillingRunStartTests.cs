using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Domain.Billing;
using Neruba.Infrastructure.Billing.Runs;
using Neruba.Infrastructure.Tests.Support;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Tests.Billing;

/// <summary>The checks before a run starts (the console runs them before its confirmation) and the paged list of runs.</summary>
public class BillingRunStartTests
{
    private static TriggerBillingRun.Request Request(DateTimeOffset month, string? customer = null, bool dryRun = false, bool rerun = false) =>
        new(DateOnly.FromDateTime(month.UtcDateTime), customer, dryRun, rerun);

    [Fact]
    public async Task The_check_and_the_trigger_refuse_the_same_months_and_scopes_in_the_same_words_and_start_nothing()
    {
        var (harness, lastMonth) = await BillingRunTests.StartWithSubscriptionsAsync();
        await using var _ = harness;
        var thisMonth = BillingCalendar.MonthStartOf(harness.Clock.GetUtcNow());
        var cases = new (TriggerBillingRun.Request Request, string Field, string Words)[]
        {
            (Request(thisMonth.AddMonths(1), dryRun: true), "month", $"{thisMonth.AddMonths(1):yyyy-MM} has not started yet"),
            (Request(thisMonth), "month", "has not ended yet"),
            (Request(lastMonth.AddMonths(-1)), "month", $"No subscription of this project runs in {lastMonth.AddMonths(-1):yyyy-MM}, so there is nothing to bill; the first one starts {lastMonth:yyyy-MM-dd}."),
            (Request(lastMonth, customer: "cus_nobody"), "customer", "No customer 'cus_nobody' in this project."),
            (Request(lastMonth, rerun: true), "month", "Nothing was finalized"),
            (new TriggerBillingRun.Request(new DateOnly(1999, 12, 1), null, true), "month", "between 2000-01 and 2100-12"),
        };

        foreach (var (request, field, words) in cases)
        {
            var check = await harness.RunAsync<CheckBillingRun, TriggerBillingRun.Request, BillingRunPreflight>(harness.Admin, request);
            var trigger = await harness.RunAsync<TriggerBillingRun, TriggerBillingRun.Request, BillingRunView>(harness.Admin, request);
            Assert.Equal(UseCaseStatus.Invalid, check.Status);
            Assert.Contains(words, Assert.Single(check.Errors[field]), StringComparison.Ordinal);
            Assert.Equal((trigger.Status, trigger.Message), (check.Status, check.Message));
        }

        Assert.Equal(0, await harness.QueryAsync(db => db.BillingRuns.CountAsync()));
    }

    [Fact]
    public async Task The_check_says_what_a_run_would_cover_and_how_much_of_it_is_invoiced_already()
    {
        var (harness, lastMonth) = await BillingRunTests.StartWithSubscriptionsAsync();
        await using var _ = harness;

        var before = await harness.RunAsync<CheckBillingRun, TriggerBillingRun.Request, BillingRunPreflight>(harness.Admin, Request(lastMonth));
        Assert.Equal(new BillingRunPreflight(BillingRunKind.Manual, lastMonth, null, "all customers", 2, 0), before.Value);
        var oneCustomer = await harness.RunAsync<CheckBillingRun, TriggerBillingRun.Request, BillingRunPreflight>(harness.Admin, Request(lastMonth, " cus_acme "));
        Assert.Equal(("Acme Analytics (cus_acme)", 1), (oneCustomer.Value!.Scope, oneCustomer.Value.Subscriptions));

        // Checking starts nothing; while a run is active the check says so as the trigger would.
        Assert.Equal(0, await harness.QueryAsync(db => db.BillingRuns.CountAsync()));
        var run = await BillingRunTests.TriggerAsync(harness, lastMonth);
        var busy = await harness.RunAsync<CheckBillingRun, TriggerBillingRun.Request, BillingRunPreflight>(harness.Admin, Request(lastMonth));
        Assert.Equal(UseCaseStatus.Conflict, busy.Status);
        Assert.Contains("already queued or running", busy.Message, StringComparison.Ordinal);

        await BillingRunTests.RunJobAsync(harness, run.Id);
        var after = await harness.RunAsync<CheckBillingRun, TriggerBillingRun.Request, BillingRunPreflight>(harness.Admin, Request(lastMonth));
        Assert.Equal((2, 2), (after.Value!.Subscriptions, after.Value.AlreadyInvoiced));
        var rerun = await harness.RunAsync<CheckBillingRun, TriggerBillingRun.Request, BillingRunPreflight>(harness.Admin, Request(lastMonth, rerun: true));
        Assert.Equal(BillingRunKind.Rerun, rerun.Value!.Kind);
    }

    [Fact]
    public async Task Only_people_who_may_start_runs_may_check_one()
    {
        var (harness, lastMonth) = await BillingRunTests.StartWithSubscriptionsAsync();
        await using var _ = harness;
        var viewer = await harness.AddPersonAsync("viewer@example.test", ProjectRole.Viewer);

        var check = await harness.RunAsync<CheckBillingRun, TriggerBillingRun.Request, BillingRunPreflight>(viewer, Request(lastMonth));

        Assert.Equal(UseCaseStatus.Forbidden, check.Status);
    }

    [Fact]
    public async Task Runs_are_filtered_by_kind_and_status_sorted_and_paged_by_the_database()
    {
        var (harness, lastMonth) = await BillingRunTests.StartWithSubscriptionsAsync();
        await using var _ = harness;
        var final = await BillingRunTests.TriggerAsync(harness, lastMonth);
        await BillingRunTests.RunJobAsync(harness, final.Id);
        var started = new List<BillingRunView> { final };
        foreach (var (month, customer) in new[] { (lastMonth, "cus_acme"), (lastMonth, "cus_globex"), (lastMonth.AddMonths(1), (string?)null) })
        {
            harness.Clock.Advance(TimeSpan.FromSeconds(1));
            started.Add(await BillingRunTests.TriggerAsync(harness, month, dryRun: true, customer: customer));
        }

        var newestFirst = await PagesAsync(harness, new ListBillingRuns.Request(), pageSize: 3);
        Assert.Equal(started.Select(r => r.Id).Reverse(), newestFirst.Select(r => r.Id));
        var byMonth = await PagesAsync(harness, new ListBillingRuns.Request(Sort: ListBillingRuns.SortField.Month, Descending: false), pageSize: 2);
        // Oldest month first; within a month, the newest run first.
        Assert.Equal([started[2].Id, started[1].Id, final.Id, started[3].Id], byMonth.Select(r => r.Id));

        var dryRuns = await PagesAsync(harness, new ListBillingRuns.Request(Kind: BillingRunKind.DryRun), pageSize: 2);
        Assert.Equal(3, dryRuns.Count);
        Assert.All(dryRuns, r => Assert.Equal((BillingRunKind.DryRun, BillingRunStatus.Queued), (r.Kind, r.Status)));
        var succeeded = await PagesAsync(harness, new ListBillingRuns.Request(Status: BillingRunStatus.Succeeded), pageSize: 2);
        Assert.Equal([(final.Id, 2)], succeeded.Select(r => (r.Id, r.Done)));
        Assert.Empty(await PagesAsync(harness, new ListBillingRuns.Request(Kind: BillingRunKind.Manual, Status: BillingRunStatus.Queued), pageSize: 2));
    }

    private static async Task<List<BillingRunView>> PagesAsync(UseCaseHarness harness, ListBillingRuns.Request request, int pageSize)
    {
        var runs = new List<BillingRunView>();
        for (var page = 0; ; page++)
        {
            var result = (await harness.RunAsync<ListBillingRuns, ListBillingRuns.Request, PageOf<BillingRunView>>(harness.Admin,
                request with { Page = page, PageSize = pageSize })).Value!;
            if (result.Items.Count == 0)
            {
                Assert.Equal(runs.Count, result.Total);
                return runs;
            }

            Assert.InRange(result.Items.Count, 1, pageSize);
            runs.AddRange(result.Items);
        }
    }
}
