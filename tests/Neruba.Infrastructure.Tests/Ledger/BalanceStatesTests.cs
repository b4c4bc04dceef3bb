using Microsoft.Extensions.DependencyInjection;
using Neruba.Domain.Billing;
using Neruba.Infrastructure.Billing.Plans;
using Neruba.Infrastructure.Billing.Subscriptions;
using Neruba.Infrastructure.Credits;
using Neruba.Infrastructure.Tests.Billing;
using Neruba.Infrastructure.Tests.Metering;
using Neruba.Infrastructure.Tests.Support;

namespace Neruba.Infrastructure.Tests.Ledger;

/// <summary>No silent states on the balance page: why expired credit still counts, and why a fresh grant did not reach an invoice.</summary>
public class BalanceStatesTests
{
    [Fact]
    public async Task Expired_credit_waiting_for_its_months_invoice_is_shown_apart_and_a_grant_after_month_end_says_which_invoice_it_missed()
    {
        var (harness, month) = await StartWithFlatPlanAsync();
        await using var _ = harness;

        // 10.00 valid to the month's end; the month ends and its invoice is not finalized yet (grace period).
        var monthEnd = month.AddMonths(1);
        Assert.True((await GrantAsync(harness, "10.00", monthEnd)).Succeeded);
        harness.Clock.Advance(monthEnd.AddHours(2) - harness.Clock.GetUtcNow());
        // Granted during the grace period: the month's invoice does not draw it.
        Assert.True((await GrantAsync(harness, "4.00", null)).Succeeded);

        var wallet = (await BalanceAsync(harness)).Wallets.Single();
        Assert.Equal((400L, 1000L, 1400L), (wallet.Available.Minor, wallet.HeldForInvoices.Minor, wallet.Balance.Minor));
        var held = wallet.Blocks.Single(b => b.Original.Minor == 1000);
        Assert.True(held.IsExpired);
        Assert.Equal(month, held.HeldForMonth);
        Assert.Null(held.MissedMonth);
        var late = wallet.Blocks.Single(b => b.Original.Minor == 400);
        Assert.Equal(month, late.MissedMonth);
        Assert.Null(late.HeldForMonth);

        // The final run: the held 10.00 pays the month's invoice; the late grant is untouched and still says why.
        var run = await BillingRunTests.TriggerAsync(harness, month);
        await BillingRunTests.RunJobAsync(harness, run.Id);
        await harness.Services.GetRequiredService<CreditExpiryJob>().RunAsync(CancellationToken.None);

        wallet = (await BalanceAsync(harness)).Wallets.Single();
        Assert.Equal((400L, 0L, 400L), (wallet.Available.Minor, wallet.HeldForInvoices.Minor, wallet.Balance.Minor));
        Assert.All(wallet.Blocks, b => Assert.Null(b.HeldForMonth));
        Assert.Equal(month, wallet.Blocks.Single(b => b.Original.Minor == 400).MissedMonth);
        Assert.Equal(0, wallet.Blocks.Single(b => b.Original.Minor == 1000).Remaining.Minor);
    }

    [Fact]
    public async Task Expired_credit_with_nothing_left_to_bill_waits_only_for_the_expiry_job()
    {
        await using var harness = await IngestStoreTests.StartWithMetricAsync();
        var month = BillingCalendar.MonthStartOf(harness.Clock.GetUtcNow());
        var monthEnd = month.AddMonths(1);
        Assert.True((await GrantAsync(harness, "7.00", monthEnd)).Succeeded);
        harness.Clock.Advance(monthEnd.AddMinutes(1) - harness.Clock.GetUtcNow());

        // No subscription, so no invoice to wait for: not held, and not available either.
        var wallet = (await BalanceAsync(harness)).Wallets.Single();
        Assert.Equal((0L, 0L, 700L, 700L), (wallet.Available.Minor, wallet.HeldForInvoices.Minor, wallet.AwaitingWriteOff.Minor, wallet.Balance.Minor));
        Assert.Null(wallet.Blocks.Single().MissedMonth);
    }

    [Fact]
    public async Task Credit_that_expires_mid_month_is_not_held_for_that_months_invoice_which_could_not_use_it()
    {
        var (harness, month) = await StartWithFlatPlanAsync();
        await using var _ = harness;

        // Valid for an hour (never exactly to a month's end, whatever the day): the month's invoice, drawn at month end, cannot use it.
        var expires = harness.Clock.GetUtcNow().AddHours(1);
        if (BillingCalendar.IsMonthStart(expires))
        {
            expires = expires.AddMinutes(1);
        }

        Assert.True((await GrantAsync(harness, "5.00", expires)).Succeeded);
        harness.Clock.Advance(TimeSpan.FromHours(2));

        var wallet = (await BalanceAsync(harness)).Wallets.Single();
        Assert.Null(wallet.Blocks.Single().HeldForMonth);
        Assert.Equal((0L, 0L, 500L), (wallet.Available.Minor, wallet.HeldForInvoices.Minor, wallet.AwaitingWriteOff.Minor));

        // So the expiry job writes it off at once instead of keeping it for an invoice it could never pay.
        await harness.Services.GetRequiredService<CreditExpiryJob>().RunAsync(CancellationToken.None);
        Assert.Equal(0L, (await BalanceAsync(harness)).Wallets.Single().Balance.Minor);
    }

    /// <summary>cus_acme on a flat 30.00 plan (no plan credit) from the first day of the current month.</summary>
    private static async Task<(UseCaseHarness Harness, DateTimeOffset Month)> StartWithFlatPlanAsync()
    {
        var harness = await IngestStoreTests.StartWithMetricAsync();
        var plan = await harness.RunAsync<SavePlan, SavePlan.Request, PlanView>(harness.Admin, new("flat", "Flat", "USD", BillingInterval.Monthly, "30.00",
            FeeTiming.InArrears, [], null, null));
        Assert.True(plan.Succeeded, plan.Message);
        var month = BillingCalendar.MonthStartOf(harness.Clock.GetUtcNow());
        var started = await harness.RunAsync<StartSubscription, StartSubscription.Request, SubscriptionView>(harness.Admin,
            new("cus_acme", "flat", DateOnly.FromDateTime(month.UtcDateTime), null));
        Assert.True(started.Succeeded, started.Message);
        return (harness, month);
    }

    private static Task<Neruba.Infrastructure.UseCases.UseCaseResult<CreditGrantView>> GrantAsync(UseCaseHarness harness, string amount, DateTimeOffset? expiresAt) =>
        harness.RunAsync<RequestCreditGrant, RequestCreditGrant.Request, CreditGrantView>(harness.Admin,
            new("cus_acme", amount, "USD", "goodwill", "test", expiresAt));

    private static async Task<CustomerBalanceView> BalanceAsync(UseCaseHarness harness)
    {
        var balance = await harness.RunAsync<GetCustomerBalance, GetCustomerBalance.Request, CustomerBalanceView>(harness.Admin, new("cus_acme"));
        Assert.True(balance.Succeeded, balance.Message);
        return balance.Value!;
    }
}
