using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Billing;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Billing.Plans;
using Neruba.Infrastructure.Billing.Runs;
using Neruba.Infrastructure.Billing.Subscriptions;
using Neruba.Infrastructure.Ledger;
using Neruba.Infrastructure.Tests.Metering;
using Neruba.Infrastructure.Tests.Support;

namespace Neruba.Infrastructure.Tests.Billing;

/// <summary>Two subscriptions of one customer in one month (a cancel and restart) are billed from one wallet, and renaming a plan rewrites nothing.</summary>
public class SiblingSubscriptionTests
{
    [Fact]
    public async Task A_cancel_and_restart_in_one_month_bills_both_and_never_draws_the_same_credit_twice()
    {
        await using var harness = await IngestStoreTests.StartWithMetricAsync();
        var plan = await harness.RunAsync<SavePlan, SavePlan.Request, PlanView>(harness.Admin, new("pro", "Pro", "USD", BillingInterval.Monthly, "30.00",
            FeeTiming.InArrears, [], null, "5.00"));
        Assert.True(plan.Succeeded, plan.Message);

        // Next month, day 10: the customer cancels the subscription it has had since the 1st, and starts again the next day.
        var month = BillingCalendar.MonthStartOf(harness.Clock.GetUtcNow()).AddMonths(1);
        harness.Clock.Advance(month.AddDays(9).AddHours(12) - harness.Clock.GetUtcNow());
        var first = await harness.RunAsync<StartSubscription, StartSubscription.Request, SubscriptionView>(harness.Admin,
            new("cus_acme", "pro", DateOnly.FromDateTime(month.UtcDateTime), null));
        Assert.True(first.Succeeded, first.Message);
        var cancelled = await harness.RunAsync<CancelSubscription, CancelSubscription.Request, SubscriptionView>(harness.Admin,
            new(first.Value!.Id, CancellationMode.Immediately, "moving to a new account"));
        Assert.True(cancelled.Succeeded, cancelled.Message);
        var second = await harness.RunAsync<StartSubscription, StartSubscription.Request, SubscriptionView>(harness.Admin,
            new("cus_acme", "pro", DateOnly.FromDateTime(cancelled.Value!.EndsAt!.Value.UtcDateTime), null));
        Assert.True(second.Succeeded, second.Message);

        harness.Clock.Advance(month.AddMonths(1).AddDays(2) - harness.Clock.GetUtcNow());
        var run = await BillingRunTests.TriggerAsync(harness, month);
        await BillingRunTests.RunJobAsync(harness, run.Id);

        var invoices = await harness.QueryAsync(db => db.Invoices.Where(i => i.PeriodStart == month).OrderBy(i => i.Sequence).ToListAsync());
        Assert.Equal(2, invoices.Count);
        Assert.Equal(0, await harness.QueryAsync(db => db.BillingRunItems.CountAsync(i => i.RunId == run.Id && i.Status != BillingRunItemStatus.Done)));

        // Each start granted the month's plan credit (5.00 + 5.00); both invoices together draw it once, and no block is overdrawn.
        var customerId = invoices[0].CustomerId;
        var wallet = await harness.QueryAsync(db => db.LedgerAccounts.SingleAsync(a => a.Code == LedgerAccount.CodeFor(AccountKind.CustomerWallet, "USD", customerId)));
        var blocks = await harness.QueryAsync(db => db.BlockBalancesAsync(wallet.Id, CancellationToken.None));
        Assert.All(blocks, b => Assert.True(b.Remaining >= 0, $"block {b.BlockId} is overdrawn: {b.Remaining}"));
        var drawn = invoices.SelectMany(i => i.Draft.Credits).GroupBy(c => c.BlockId).ToDictionary(g => g.Key, g => g.Sum(c => c.Amount));
        Assert.All(drawn.Values, amount => Assert.True(amount <= 500));
        Assert.Equal(1000, invoices.Sum(i => i.CreditsApplied));

        // A rerun reads what the run read: the same drafts, byte for byte.
        var rerun = await harness.RunAsync<TriggerBillingRun, TriggerBillingRun.Request, BillingRunView>(harness.Admin,
            new(DateOnly.FromDateTime(month.UtcDateTime), null, false, Rerun: true));
        await BillingRunTests.RunJobAsync(harness, rerun.Value!.Id);
        var hashes = await harness.QueryAsync(db => db.BillingRunItems.Where(i => i.RunId == rerun.Value.Id).Select(i => new { i.SubscriptionId, i.DraftHash }).ToListAsync());
        Assert.Equal(invoices.Select(i => (i.SubscriptionId, i.DraftHash)).OrderBy(x => x.SubscriptionId),
            hashes.Select(h => (h.SubscriptionId, h.DraftHash!)).OrderBy(x => x.SubscriptionId));
    }

    [Fact]
    public async Task A_month_billed_after_the_next_one_does_not_draw_the_credit_the_next_one_already_used()
    {
        await using var harness = await IngestStoreTests.StartWithMetricAsync();
        var plan = await harness.RunAsync<SavePlan, SavePlan.Request, PlanView>(harness.Admin, new("pro", "Pro", "USD", BillingInterval.Monthly, "30.00",
            FeeTiming.InArrears, [], null, null));
        Assert.True(plan.Succeeded, plan.Message);
        var month = BillingCalendar.MonthStartOf(harness.Clock.GetUtcNow());
        var started = await harness.RunAsync<StartSubscription, StartSubscription.Request, SubscriptionView>(harness.Admin,
            new("cus_acme", "pro", DateOnly.FromDateTime(month.UtcDateTime), null));
        Assert.True(started.Succeeded, started.Message);
        var grant = await harness.RunAsync<Credits.RequestCreditGrant, Credits.RequestCreditGrant.Request, Credits.CreditGrantView>(harness.Admin,
            new("cus_acme", "25.00", "USD", "goodwill", "outage", null));
        Assert.True(grant.Succeeded, grant.Message);

        // The next month is billed first (its own run, or the earlier month's customer failed and is retried later): it draws the 25.00.
        harness.Clock.Advance(month.AddMonths(2).AddDays(3) - harness.Clock.GetUtcNow());
        var next = await BillingRunTests.TriggerAsync(harness, month.AddMonths(1), customer: "cus_acme");
        await BillingRunTests.RunJobAsync(harness, next.Id);
        var first = await BillingRunTests.TriggerAsync(harness, month, customer: "cus_acme");
        await BillingRunTests.RunJobAsync(harness, first.Id);

        Assert.Equal([BillingRunItemStatus.Done], await harness.QueryAsync(db => db.BillingRunItems.Where(i => i.RunId == first.Id).Select(i => i.Status).ToListAsync()));
        var invoices = await harness.QueryAsync(db => db.Invoices.OrderBy(i => i.PeriodStart).ToListAsync());
        Assert.Equal([0L, 2500L], invoices.Select(i => i.CreditsApplied));
        var rerun = await harness.RunAsync<TriggerBillingRun, TriggerBillingRun.Request, BillingRunView>(harness.Admin,
            new(DateOnly.FromDateTime(month.UtcDateTime), null, false, Rerun: true));
        await BillingRunTests.RunJobAsync(harness, rerun.Value!.Id);
        Assert.Equal(invoices[0].DraftHash, await harness.QueryAsync(db => db.BillingRunItems.Where(i => i.RunId == rerun.Value.Id).Select(i => i.DraftHash).SingleAsync()));
    }

    [Fact]
    public async Task Renaming_a_plan_changes_no_past_invoice_and_no_rerun_hash()
    {
        var (harness, lastMonth) = await BillingRunTests.StartWithSubscriptionsAsync();
        await using var _ = harness;
        var run = await BillingRunTests.TriggerAsync(harness, lastMonth);
        await BillingRunTests.RunJobAsync(harness, run.Id);

        var renamed = await harness.RunAsync<SavePlan, SavePlan.Request, PlanView>(harness.Admin, new("pro", "Pro (legacy)", "USD", BillingInterval.Monthly, "49.00",
            FeeTiming.InArrears, [new UsageCharge("api_calls", ChargeModel.PerUnit, 0.01m, [], 0, 100)], null, "5.00"));
        Assert.True(renamed.Succeeded, renamed.Message);
        var rerun = await harness.RunAsync<TriggerBillingRun, TriggerBillingRun.Request, BillingRunView>(harness.Admin,
            new(DateOnly.FromDateTime(lastMonth.UtcDateTime), null, false, Rerun: true));
        await BillingRunTests.RunJobAsync(harness, rerun.Value!.Id);

        var invoices = await harness.QueryAsync(db => db.Invoices.ToListAsync());
        Assert.All(invoices, i => Assert.Contains(i.Draft.Lines, l => l.Description.Contains("Pro v1", StringComparison.Ordinal)));
        Assert.All(invoices, i => Assert.DoesNotContain(i.Draft.Lines, l => l.Description.Contains("legacy", StringComparison.Ordinal)));
        var hashes = await harness.QueryAsync(db => db.BillingRunItems.Where(i => i.RunId == rerun.Value.Id).Select(i => new { i.SubscriptionId, i.DraftHash }).ToListAsync());
        Assert.Equal(invoices.Select(i => (i.SubscriptionId, i.DraftHash)).OrderBy(x => x.SubscriptionId),
            hashes.Select(h => (h.SubscriptionId, h.DraftHash!)).OrderBy(x => x.SubscriptionId));
    }
}
