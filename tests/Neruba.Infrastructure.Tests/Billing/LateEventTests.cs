using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Neruba.Domain.Billing;
using Neruba.Domain.Metering;
using Neruba.Infrastructure.Billing.Plans;
using Neruba.Infrastructure.Billing.Runs;
using Neruba.Infrastructure.Billing.Subscriptions;
using Neruba.Infrastructure.Metering;
using Neruba.Infrastructure.Tests.Metering;
using Neruba.Infrastructure.Tests.Support;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Tests.Billing;

/// <summary>
/// Lateness is decided against what finalized invoices counted (their cutoff), not the clock: every stored
/// event of an invoiced customer and month is either counted by the invoice or in the late backlog.
/// </summary>
public class LateEventTests
{
    private static readonly string[] Customers = ["cus_acme", "cus_globex"];

    /// <summary>
    /// Meter: no base fee, 1.00 per api call from the first, no credit, so an invoice's usage quantity is exactly the events it counted.
    /// Both customers subscribe from the current month; the clock then moves past the end of the third month.
    /// </summary>
    private static async Task<(UseCaseHarness Harness, DateTimeOffset[] Months)> StartAsync()
    {
        var harness = await IngestStoreTests.StartWithMetricAsync();
        var plan = await harness.RunAsync<SavePlan, SavePlan.Request, PlanView>(harness.Admin, new("meter", "Meter", "USD", BillingInterval.Monthly, "0",
            FeeTiming.InArrears, [new UsageCharge("api_calls", ChargeModel.PerUnit, 1m, [], 0, 0)], null, null));
        Assert.True(plan.Succeeded, plan.Message);
        var first = BillingCalendar.MonthStartOf(harness.Clock.GetUtcNow());
        foreach (var customer in Customers)
        {
            var started = await harness.RunAsync<StartSubscription, StartSubscription.Request, SubscriptionView>(harness.Admin,
                new(customer, "meter", DateOnly.FromDateTime(first.UtcDateTime), null));
            Assert.True(started.Succeeded, started.Message);
        }

        var months = new[] { first, first.AddMonths(1), first.AddMonths(2) };
        harness.Clock.Advance(first.AddMonths(3).AddDays(5) - harness.Clock.GetUtcNow());
        return (harness, months);
    }

    [Fact]
    public async Task An_event_received_after_the_final_run_but_inside_the_grace_period_is_late_not_lost()
    {
        var (harness, months) = await StartAsync();
        await using var _ = harness;
        var month = months[2];
        await IngestStoreTests.IngestAsync(harness, new IncomingEvent("on-time", "cus_acme", "api_calls", month.AddDays(3).ToString("O"), null));

        // The run takes its watermark when triggered; an event stored before the job bills the customer is still after the watermark.
        var run = await BillingRunTests.TriggerAsync(harness, month);
        var straggler = await IngestStoreTests.IngestAsync(harness, new IncomingEvent("straggler", "cus_acme", "api_calls", month.AddDays(20).ToString("O"), null));
        await BillingRunTests.RunJobAsync(harness, run.Id);
        Assert.False(straggler.Items[0].Late);
        var afterRun = await IngestStoreTests.IngestAsync(harness, new IncomingEvent("after-run", "cus_acme", "api_calls", month.AddMonths(1).AddSeconds(-1).ToString("O"), null));

        Assert.True(afterRun.Items[0].Late);
        Assert.Equal(1m, await InvoicedQuantityAsync(harness, "cus_acme", month));
        var backlog = await BacklogAsync(harness);
        Assert.Equal(new LateBacklogRow(month, 2, 1, backlog.Single().LastReceivedAt), backlog.Single());
        var events = await harness.RunAsync<ListUsageEvents, ListUsageEvents.Request, PageOf<UsageEventRow>>(harness.Admin, new("cus_acme", "api_calls", null, 0, 10));
        Assert.Equal(["after-run", "straggler"], events.Value!.Items.Where(e => e.IsLate).Select(e => e.EventId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task No_subscription_can_be_started_in_a_month_a_final_run_has_already_billed()
    {
        await using var harness = await IngestStoreTests.StartWithMetricAsync();
        var plan = await harness.RunAsync<SavePlan, SavePlan.Request, PlanView>(harness.Admin, new("meter", "Meter", "USD", BillingInterval.Monthly, "10.00",
            FeeTiming.InArrears, [new UsageCharge("api_calls", ChargeModel.PerUnit, 1m, [], 0, 0)], null, null));
        Assert.True(plan.Succeeded, plan.Message);
        var month = BillingCalendar.MonthStartOf(harness.Clock.GetUtcNow());
        Assert.True((await StartOnAsync(harness, "cus_acme", month)).Succeeded);
        harness.Clock.Advance(month.AddMonths(1).AddDays(2) - harness.Clock.GetUtcNow());
        var run = await BillingRunTests.TriggerAsync(harness, month);
        await BillingRunTests.RunJobAsync(harness, run.Id);

        // The run listed the month's subscriptions once and will not look again: a backdated one would never be billed, nor its usage flagged.
        var backdated = await StartOnAsync(harness, "cus_globex", month.AddDays(3));
        var next = await StartOnAsync(harness, "cus_globex", month.AddMonths(1));

        Assert.Equal(UseCaseStatus.Invalid, backdated.Status);
        Assert.Contains($"billed up to {month.AddMonths(1):yyyy-MM-dd}", backdated.Message, StringComparison.Ordinal);
        Assert.True(next.Succeeded, next.Message);
    }

    [Fact]
    public async Task Usage_no_rerun_would_bill_is_never_listed_late_after_a_cancellation_or_for_a_metric_the_plan_does_not_charge()
    {
        await using var harness = await IngestStoreTests.StartWithMetricAsync();
        var storage = await harness.RunAsync<SaveMetric, SaveMetric.Request, MetricView>(harness.Admin, new("storage_gb", "Storage", Aggregation.Count, null, []));
        Assert.True(storage.Succeeded, storage.Message);
        var plan = await harness.RunAsync<SavePlan, SavePlan.Request, PlanView>(harness.Admin, new("meter", "Meter", "USD", BillingInterval.Monthly, "0",
            FeeTiming.InArrears, [new UsageCharge("api_calls", ChargeModel.PerUnit, 1m, [], 0, 0)], null, null));
        Assert.True(plan.Succeeded, plan.Message);

        // Subscribed from the 1st, cancelled on the 10th (it ends on the 11th).
        var month = BillingCalendar.MonthStartOf(harness.Clock.GetUtcNow()).AddMonths(1);
        harness.Clock.Advance(month.AddDays(9).AddHours(1) - harness.Clock.GetUtcNow());
        var started = await StartOnAsync(harness, "cus_acme", month);
        var cancelled = await harness.RunAsync<CancelSubscription, CancelSubscription.Request, SubscriptionView>(harness.Admin,
            new(started.Value!.Id, CancellationMode.Immediately, "gone"));
        Assert.True(cancelled.Succeeded, cancelled.Message);
        harness.Clock.Advance(month.AddMonths(1).AddDays(2) - harness.Clock.GetUtcNow());
        var run = await BillingRunTests.TriggerAsync(harness, month);
        await BillingRunTests.RunJobAsync(harness, run.Id);

        var result = await IngestStoreTests.IngestAsync(harness,
            new IncomingEvent("in-subscription", "cus_acme", "api_calls", month.AddDays(3).ToString("O"), null),
            new IncomingEvent("after-cancellation", "cus_acme", "api_calls", month.AddDays(20).ToString("O"), null),
            new IncomingEvent("not-charged", "cus_acme", "storage_gb", month.AddDays(3).ToString("O"), null));

        Assert.Equal([true, false, false], result.Items.Select(i => i.Late));
        var backlog = await BacklogAsync(harness);
        Assert.Equal((month, 1), (backlog.Single().PeriodStart, backlog.Single().LateEvents));
        var rerun = await harness.RunAsync<TriggerBillingRun, TriggerBillingRun.Request, BillingRunView>(harness.Admin,
            new(DateOnly.FromDateTime(month.UtcDateTime), null, false, Rerun: true));
        await BillingRunTests.RunJobAsync(harness, rerun.Value!.Id);
        Assert.Equal(100L, await harness.QueryAsync(db => db.BillingRunItems.Where(i => i.RunId == rerun.Value.Id).Select(i => i.DraftTotal).SingleAsync()));
    }

    private static Task<UseCaseResult<SubscriptionView>> StartOnAsync(UseCaseHarness harness, string customer, DateTimeOffset day) =>
        harness.RunAsync<StartSubscription, StartSubscription.Request, SubscriptionView>(harness.Admin, new(customer, "meter", DateOnly.FromDateTime(day.UtcDateTime), null));

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public async Task Every_event_is_counted_by_its_finalized_invoice_or_listed_late_never_neither_and_never_both(int seed)
    {
        var (harness, months) = await StartAsync();
        await using var _ = harness;
        var random = new Random(seed);
        var sent = new List<IncomingEvent>();
        var finalized = new HashSet<DateTimeOffset>();

        async Task IngestRandomBatchAsync()
        {
            var batch = Enumerable.Range(0, random.Next(1, 15)).Select(_ =>
            {
                // Any of the three months, in any order: backdated events land in months already invoiced.
                var month = months[random.Next(months.Length)];
                var at = month.AddMinutes(random.Next((int)(month.AddMonths(1) - month).TotalMinutes));
                return new IncomingEvent($"e{sent.Count}-{random.Next()}", Customers[random.Next(Customers.Length)], "api_calls", at.ToString("O"), null);
            }).ToList();
            if (sent.Count > 0 && random.Next(4) == 0)
            {
                batch.Add(sent[random.Next(sent.Count)]); // a retried event: a duplicate, stored once
            }

            await IngestStoreTests.IngestAsync(harness, [.. batch]);
            sent.AddRange(batch);
        }

        for (var step = 0; step < 30; step++)
        {
            var month = months[random.Next(months.Length)];
            switch (random.Next(4))
            {
                case 0 or 1:
                    await IngestRandomBatchAsync();
                    break;
                case 2:
                    // A final run, sometimes with events arriving between its trigger and its customers, or between two customers.
                    var run = await harness.RunAsync<TriggerBillingRun, TriggerBillingRun.Request, BillingRunView>(harness.Admin,
                        new(DateOnly.FromDateTime(month.UtcDateTime), null, false));
                    Assert.True(run.Succeeded, run.Message);
                    if (random.Next(2) == 0)
                    {
                        await IngestRandomBatchAsync();
                    }

                    await harness.Services.GetRequiredService<BillingRunJob>().RunAsync(run.Value!.Id, stopAfter: 1, CancellationToken.None);
                    await IngestRandomBatchAsync();
                    await BillingRunTests.RunJobAsync(harness, run.Value.Id);
                    finalized.Add(month);
                    break;
                default:
                    if (finalized.Count > 0)
                    {
                        await AssertRerunCountsEverythingAsync(harness, finalized.ElementAt(random.Next(finalized.Count)));
                    }

                    break;
            }

            await AssertEveryEventCountedOrLateAsync(harness, months);
        }
    }

    /// <summary>For each invoiced customer and month: the invoice counted exactly the events up to the cutoff, the backlog exactly the rest.</summary>
    private static async Task AssertEveryEventCountedOrLateAsync(UseCaseHarness harness, DateTimeOffset[] months)
    {
        var backlog = (await BacklogAsync(harness)).ToDictionary(r => r.PeriodStart, r => r.LateEvents);
        foreach (var month in months)
        {
            var lateInMonth = 0;
            foreach (var customer in Customers)
            {
                var customerId = await harness.QueryAsync(db => db.Customers.Where(c => c.ExternalId == customer).Select(c => c.Id).SingleAsync());
                var cutoff = await harness.QueryAsync(db => db.UsageCutoffs.SingleOrDefaultAsync(c => c.CustomerId == customerId && c.PeriodStart == month));
                var stored = await harness.QueryAsync(db => db.UsageEvents.Where(e => e.CustomerId == customerId && e.PeriodStart == month).Select(e => e.Id).ToListAsync());
                var invoiced = await InvoicedQuantityAsync(harness, customer, month);
                if (cutoff is null)
                {
                    Assert.Null(invoiced);
                    continue;
                }

                var counted = stored.Count(id => id <= cutoff.EventWatermark);
                var late = stored.Count - counted;
                Assert.Equal(counted, invoiced);
                lateInMonth += late;
            }

            Assert.Equal(lateInMonth, backlog.GetValueOrDefault(month));
        }
    }

    /// <summary>A rerun reads up to its own, newer watermark: its drafts count every stored event, late ones included.</summary>
    private static async Task AssertRerunCountsEverythingAsync(UseCaseHarness harness, DateTimeOffset month)
    {
        var rerun = await harness.RunAsync<TriggerBillingRun, TriggerBillingRun.Request, BillingRunView>(harness.Admin,
            new(DateOnly.FromDateTime(month.UtcDateTime), null, false, Rerun: true));
        Assert.True(rerun.Succeeded, rerun.Message);
        await BillingRunTests.RunJobAsync(harness, rerun.Value!.Id);
        var drafts = await harness.QueryAsync(db => (from i in db.BillingRunItems
                                                     join c in db.Customers on i.CustomerId equals c.Id
                                                     where i.RunId == rerun.Value.Id
                                                     select new { i.CustomerId, c.ExternalId, i.DraftTotal }).ToListAsync());
        foreach (var draft in drafts)
        {
            var events = await harness.QueryAsync(db => db.UsageEvents.CountAsync(e => e.CustomerId == draft.CustomerId && e.PeriodStart == month));
            Assert.Equal(events * 100L, draft.DraftTotal);
        }
    }

    /// <summary>The api_calls quantity on the customer's finalized invoice for the month; null when it has none.</summary>
    private static async Task<decimal?> InvoicedQuantityAsync(UseCaseHarness harness, string customer, DateTimeOffset month)
    {
        var invoice = await harness.QueryAsync(db => (from i in db.Invoices
                                                      join c in db.Customers on i.CustomerId equals c.Id
                                                      where c.ExternalId == customer && i.PeriodStart == month
                                                      select i).SingleOrDefaultAsync());
        return invoice?.Draft.Lines.Where(l => l.Kind == InvoiceLineKind.Usage).Sum(l => l.Quantity);
    }

    private static async Task<IReadOnlyList<LateBacklogRow>> BacklogAsync(UseCaseHarness harness)
    {
        var backlog = await harness.RunAsync<GetLateBacklog, GetLateBacklog.Request, IReadOnlyList<LateBacklogRow>>(harness.Admin, new());
        Assert.True(backlog.Succeeded, backlog.Message);
        return backlog.Value!;
    }
}
