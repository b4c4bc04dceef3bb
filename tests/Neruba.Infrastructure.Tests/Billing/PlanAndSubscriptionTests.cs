using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Neruba.Domain.Billing;
using Neruba.Infrastructure.Billing.Plans;
using Neruba.Infrastructure.Billing.Runs;
using Neruba.Infrastructure.Billing.Subscriptions;
using Neruba.Infrastructure.Tests.Metering;
using Neruba.Infrastructure.Tests.Support;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Tests.Billing;

public class PlanAndSubscriptionTests
{
    private static SavePlan.Request Plan(string baseFee, string code = "pro", string currency = "USD", params UsageCharge[] charges) =>
        new(code, "Pro", currency, BillingInterval.Monthly, baseFee, FeeTiming.InArrears, charges, null, null);

    private static Task<UseCaseResult<PlanView>> SaveAsync(UseCaseHarness harness, SavePlan.Request request) =>
        harness.RunAsync<SavePlan, SavePlan.Request, PlanView>(harness.Admin, request);

    [Fact]
    public async Task Every_edit_adds_a_version_saving_it_unchanged_adds_nothing_and_no_version_is_ever_changed()
    {
        await using var harness = await IngestStoreTests.StartWithMetricAsync();
        await SaveAsync(harness, Plan("49.00"));
        var edited = await SaveAsync(harness, Plan("59.00"));
        var unchanged = await SaveAsync(harness, Plan("59.00"));
        var renamed = await SaveAsync(harness, Plan("59.00") with { Name = "Pro Plus" });

        Assert.True(unchanged.Succeeded, unchanged.Message);
        Assert.Equal([2, 1], edited.Value!.Versions.Select(v => v.Number));
        Assert.Equal(2, unchanged.Value!.Current.Number);
        Assert.Equal([(3, "Pro Plus", 5900L), (2, "Pro", 5900L), (1, "Pro", 4900L)],
            renamed.Value!.Versions.Select(v => (v.Number, v.Name, v.Terms.BaseFee)));
        Assert.Equal("Pro Plus", renamed.Value.Name);
        Assert.Equal(3, await harness.QueryAsync(db => db.AuditEntries.CountAsync(a => a.Action.StartsWith("plan."))));

        // Even written directly, a version is a fact: the save is refused and nothing changes.
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => harness.QueryAsync(async db =>
        {
            var first = await db.PlanVersions.SingleAsync(v => v.Number == 1);
            first.Name = "Rewritten";
            return await db.SaveChangesAsync();
        }));
        Assert.Contains("append-only", refused.Message, StringComparison.Ordinal);
        Assert.Equal("Pro", await harness.QueryAsync(db => db.PlanVersions.Where(v => v.Number == 1).Select(v => v.Name).SingleAsync()));
    }

    [Fact]
    public async Task Subscriptions_started_while_the_plan_is_edited_keep_the_terms_of_the_version_they_started_on()
    {
        await using var harness = await IngestStoreTests.StartWithMetricAsync();
        await SaveAsync(harness, Plan("49.00"));
        var start = DateOnly.FromDateTime(harness.Clock.GetUtcNow().UtcDateTime);

        // Two editors and two subscriptions at once: each subscription lands on some version, and no version changes under it.
        var edits = new[] { "59.00", "69.00" }.Select(fee => SaveAsync(harness, Plan(fee))).ToList();
        var starts = new[] { "cus_acme", "cus_globex" }.Select(customer =>
            harness.RunAsync<StartSubscription, StartSubscription.Request, SubscriptionView>(harness.Admin, new(customer, "pro", start, null))).ToList();
        await Task.WhenAll(edits.Concat<Task>(starts));

        Assert.All(edits, e => Assert.True(e.Result.Succeeded, e.Result.Message));
        var versions = (await harness.QueryAsync(db => db.PlanVersions.OrderBy(v => v.Number).ToListAsync()))
            .Select(v => new { v.Id, v.Number, v.Terms.BaseFee }).ToList();
        Assert.Equal([1, 2, 3], versions.Select(v => v.Number));
        Assert.Equal(4900, versions[0].BaseFee);
        Assert.Equal([4900L, 5900L, 6900L], versions.Select(v => v.BaseFee).Order());
        foreach (var started in starts.Select(s => s.Result))
        {
            Assert.True(started.Succeeded, started.Message);
            var phase = started.Value!.Phases.Single();
            Assert.Equal(versions.Single(v => v.Id == phase.PlanVersionId).Number, phase.VersionNumber);
        }
    }

    [Fact]
    public async Task Bad_plans_are_refused_with_reasons_and_store_nothing()
    {
        await using var harness = await IngestStoreTests.StartWithMetricAsync();
        var result = await SaveAsync(harness, Plan("49.999", charges: new UsageCharge("nope", ChargeModel.Volume, 0, [], 0, 0)));

        Assert.Equal(UseCaseStatus.Invalid, result.Status);
        Assert.Contains("USD has 2 decimal places", result.Message, StringComparison.Ordinal);
        var unknownMetric = await SaveAsync(harness, Plan("49.00", charges: new UsageCharge("nope", ChargeModel.PerUnit, 1, [], 0, 0)));
        Assert.Contains("the project has no metric with that code", unknownMetric.Message, StringComparison.Ordinal);
        Assert.Equal(0, await harness.QueryAsync(db => db.Plans.CountAsync()));
    }

    [Fact]
    public async Task A_plan_change_splits_the_subscription_into_phases_and_keeps_billed_history_closed()
    {
        var (harness, lastMonth) = await BillingRunTests.StartWithSubscriptionsAsync();
        await using var _ = harness;
        await SaveAsync(harness, Plan("99.00", code: "scale"));
        var subscriptionId = (await harness.RunAsync<ListSubscriptions, ListSubscriptions.Request, IReadOnlyList<SubscriptionView>>(harness.Admin, new("cus_acme")))
            .Value!.Single().Id;

        var midLastMonth = DateOnly.FromDateTime(lastMonth.AddDays(14).UtcDateTime);
        var changed = await harness.RunAsync<ChangeSubscriptionPlan, ChangeSubscriptionPlan.Request, SubscriptionView>(harness.Admin,
            new(subscriptionId, "scale", midLastMonth));
        Assert.True(changed.Succeeded, changed.Message);
        Assert.Equal(["pro", "scale"], changed.Value!.Phases.Select(p => p.PlanCode));
        Assert.Equal(lastMonth.AddDays(14), changed.Value.Phases[0].To);

        // Once last month is invoiced, a change dated inside it is refused.
        var run = await harness.RunAsync<TriggerBillingRun, TriggerBillingRun.Request, BillingRunView>(harness.Admin,
            new(DateOnly.FromDateTime(lastMonth.UtcDateTime), "cus_acme", false));
        await harness.Services.GetRequiredService<BillingRunJob>().RunAsync(run.Value!.Id, CancellationToken.None);
        var late = await harness.RunAsync<ChangeSubscriptionPlan, ChangeSubscriptionPlan.Request, SubscriptionView>(harness.Admin,
            new(subscriptionId, "pro", DateOnly.FromDateTime(lastMonth.AddDays(20).UtcDateTime)));
        Assert.Equal(UseCaseStatus.Invalid, late.Status);
        Assert.Contains("billed up to", late.Message, StringComparison.Ordinal);

        // Prorated: Pro 49.00 x 14/days + Scale 99.00 x rest/days.
        var invoice = await harness.QueryAsync(db => db.Invoices.SingleAsync());
        var days = (lastMonth.AddMonths(1) - lastMonth).Days;
        Assert.Equal([(14, days), (days - 14, days)], invoice.Draft.Lines.Where(l => l.Kind == InvoiceLineKind.BaseFee).Select(l => (l.ProrationDays!.Value, l.ProrationOfDays!.Value)));
    }

    [Fact]
    public async Task Cancelling_at_period_end_or_immediately_sets_the_end_day()
    {
        var (harness, _) = await BillingRunTests.StartWithSubscriptionsAsync();
        await using var __ = harness;
        var subscriptions = await harness.QueryAsync(db => db.Subscriptions.OrderBy(s => s.Id).Select(s => s.Id).ToListAsync());
        var now = harness.Clock.GetUtcNow();

        var atEnd = await harness.RunAsync<CancelSubscription, CancelSubscription.Request, SubscriptionView>(harness.Admin,
            new(subscriptions[0], CancellationMode.AtPeriodEnd, "moving on"));
        var immediately = await harness.RunAsync<CancelSubscription, CancelSubscription.Request, SubscriptionView>(harness.Admin,
            new(subscriptions[1], CancellationMode.Immediately, null));
        var twice = await harness.RunAsync<CancelSubscription, CancelSubscription.Request, SubscriptionView>(harness.Admin,
            new(subscriptions[1], CancellationMode.AtPeriodEnd, null));

        Assert.Equal(BillingCalendar.MonthStartOf(now).AddMonths(1), atEnd.Value!.EndsAt);
        Assert.Equal(new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(1), immediately.Value!.EndsAt);
        Assert.Equal(immediately.Value.EndsAt, immediately.Value.Phases[^1].To);
        Assert.Equal(UseCaseStatus.Conflict, twice.Status);
    }
}
