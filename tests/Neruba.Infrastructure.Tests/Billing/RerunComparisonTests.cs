using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Domain.Customers;
using Neruba.Infrastructure.Billing;
using Neruba.Infrastructure.Billing.Runs;
using Neruba.Infrastructure.Metering;
using Neruba.Infrastructure.Tests.Metering;
using Neruba.Infrastructure.Tests.Support;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Tests.Billing;

/// <summary>Rerun previews past the size the console once cut its list at: counted in the database, paged without gaps or repeats.</summary>
public class RerunComparisonTests
{
    private const int Customers = 600;

    [Fact]
    public async Task A_rerun_of_600_customers_counts_every_difference_and_pages_through_each_exactly_once()
    {
        var (harness, lastMonth) = await BillingRunTests.StartWithSubscriptionsAsync();
        await using var _ = harness;
        await AddSubscribersAsync(harness, lastMonth);
        var final = await BillingRunTests.TriggerAsync(harness, lastMonth);
        await BillingRunTests.RunJobAsync(harness, final.Id);

        // Late usage after the month was finalized. Every 4th customer goes over the 100 included calls by 10 to 50 calls
        // (0.10 to 0.50 more); every 10th that is not among them stays within the allowance: its lines change, its amount does not.
        var late = new Dictionary<string, int>();
        for (var i = 0; i < Customers; i++)
        {
            if (i % 4 == 0)
            {
                late[ExternalId(i)] = 100 + (i / 4 % 5 + 1) * 10;
            }
            else if (i % 10 == 2)
            {
                late[ExternalId(i)] = 40;
            }
        }

        var events = late.SelectMany(c => Enumerable.Range(0, c.Value)
            .Select(n => new IncomingEvent($"late-{c.Key}-{n}", c.Key, "api_calls", lastMonth.AddDays(9).ToString("O"), null))).ToList();
        foreach (var batch in events.Chunk(IngestService.MaxEventsPerRequest))
        {
            await IngestStoreTests.IngestAsync(harness, batch);
        }

        var rerun = await BillingRunTests.RerunAsync(harness, lastMonth);

        // Late events within the 100 included change the usage line but not the money: only a change of charges is a difference to commit.
        var expected = late.Select(c => (ExternalId: c.Key, Difference: Math.Max(0, c.Value - 100L))).Where(c => c.Difference > 0)
            .OrderByDescending(c => c.Difference).ThenBy(c => c.ExternalId, StringComparer.Ordinal).ToList();
        var details = (await harness.RunAsync<GetBillingRun, GetBillingRun.Request, BillingRunDetails>(harness.Admin, new(rerun.Id))).Value!;
        Assert.Equal((Customers + 2, expected.Count), (details.Rerun!.Compared, details.Rerun.Differing));
        Assert.Equal([new RerunNet("USD", expected.Sum(c => c.Difference))], details.Rerun.Net);

        var paged = new List<RerunComparison>();
        for (var page = 0; ; page++)
        {
            var result = (await harness.RunAsync<ListRerunComparisons, ListRerunComparisons.Request, PageOf<RerunComparison>>(harness.Admin,
                new(rerun.Id, Page: page, PageSize: 25))).Value!;
            Assert.Equal(expected.Count, result.Total);
            if (result.Items.Count == 0)
            {
                break;
            }

            paged.AddRange(result.Items);
        }

        Assert.Equal(expected, paged.Select(c => (c.ExternalId, c.Difference)));
        Assert.All(paged, c => Assert.False(c.Unchanged));

        var everyone = (await harness.RunAsync<ListRerunComparisons, ListRerunComparisons.Request, PageOf<RerunComparison>>(harness.Admin,
            new(rerun.Id, OnlyDifferences: false, Page: 1, PageSize: Paging.MaxPageSize))).Value!;
        Assert.Equal((Customers + 2, Paging.MaxPageSize), (everyone.Total, everyone.Items.Count));
        Assert.All(everyone.Items, c => Assert.True(c.Unchanged));
    }

    [Fact]
    public async Task Comparisons_of_a_rerun_are_found_only_in_its_own_project_and_only_for_reruns()
    {
        var (harness, lastMonth) = await BillingRunTests.StartWithSubscriptionsAsync();
        await using var _ = harness;
        var final = await BillingRunTests.TriggerAsync(harness, lastMonth);
        await BillingRunTests.RunJobAsync(harness, final.Id);
        var rerun = await BillingRunTests.RerunAsync(harness, lastMonth);

        var elsewhere = await harness.AdminOfAnotherProjectAsync();

        var own = await harness.RunAsync<ListRerunComparisons, ListRerunComparisons.Request, PageOf<RerunComparison>>(harness.Admin,
            new(rerun.Id, OnlyDifferences: false));
        var foreign = await harness.RunAsync<ListRerunComparisons, ListRerunComparisons.Request, PageOf<RerunComparison>>(elsewhere, new(rerun.Id));
        var notRerun = await harness.RunAsync<ListRerunComparisons, ListRerunComparisons.Request, PageOf<RerunComparison>>(harness.Admin, new(final.Id));

        Assert.Equal(2, own.Value!.Total);
        Assert.Equal(UseCaseStatus.NotFound, foreign.Status);
        Assert.Equal(UseCaseStatus.NotFound, notRerun.Status);
    }

    [Fact]
    public async Task Listing_runs_costs_the_same_queries_for_one_run_as_for_many()
    {
        var (harness, lastMonth) = await BillingRunTests.StartWithSubscriptionsAsync();
        await using var _ = harness;
        await BillingRunTests.TriggerAsync(harness, lastMonth, dryRun: true, customer: "cus_acme");
        var oneRun = await harness.CountQueriesAsync(() => harness.RunAsync<ListBillingRuns, ListBillingRuns.Request, PageOf<BillingRunView>>(harness.Admin, new()));

        await BillingRunTests.TriggerAsync(harness, lastMonth, dryRun: true, customer: "cus_globex");
        var dry = await BillingRunTests.TriggerAsync(harness, lastMonth, dryRun: true);
        await BillingRunTests.RunJobAsync(harness, dry.Id);
        var manyRuns = await harness.CountQueriesAsync(() => harness.RunAsync<ListBillingRuns, ListBillingRuns.Request, PageOf<BillingRunView>>(harness.Admin, new()));

        Assert.Equal(3, manyRuns.Result.Value!.Items.Count);
        Assert.InRange(oneRun.Queries, 1, 8);
        Assert.Equal(oneRun.Queries, manyRuns.Queries);
    }

    private static string ExternalId(int i) => $"bulk_{i:D4}";

    /// <summary>Customers and their Pro subscriptions written in one save; going through the use cases 600 times would be most of the test's time.</summary>
    private static Task<int> AddSubscribersAsync(UseCaseHarness harness, DateTimeOffset month) => harness.QueryAsync(async db =>
    {
        var existing = await db.SubscriptionPhases.Join(db.Subscriptions, p => p.SubscriptionId, s => s.Id, (p, s) => new { s.PlanId, p.PlanVersionId }).FirstAsync();
        for (var i = 0; i < Customers; i++)
        {
            var customer = new Customer(Guid.NewGuid(), harness.ProjectId, ExternalId(i), $"Bulk customer {i}", null, "USD", "UTC", month);
            var subscription = new SubscriptionRecord
            {
                Id = Guid.NewGuid(), ProjectId = harness.ProjectId, CustomerId = customer.Id, PlanId = existing.PlanId, BillingAnchor = month, StartsAt = month,
                CreatedAt = month, Version = 1,
            };
            db.Customers.Add(customer);
            db.Subscriptions.Add(subscription);
            db.SubscriptionPhases.Add(new SubscriptionPhaseRecord { Id = Guid.NewGuid(), SubscriptionId = subscription.Id, PlanVersionId = existing.PlanVersionId, From = month });
        }

        return await db.SaveChangesAsync();
    });
}
