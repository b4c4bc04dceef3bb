using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Payments;
using Neruba.Infrastructure.Payments.Checkout;
using Neruba.Infrastructure.Payments.CreditPacks;

namespace Neruba.Infrastructure.Tests.Payments;

/// <summary>A credit pack bought through Checkout is posted only when Stripe says it is paid, once per session, whatever the order of events.</summary>
public sealed class CheckoutPurchaseTests
{
    private static async Task<CheckoutSessionView> SellAsync(PaymentScenario scenario, int expiryDays)
    {
        var pack = await scenario.Harness.RunAsync<CreateCreditPack, CreditPackInput, CreditPackView>(scenario.Harness.Admin,
            new CreditPackInput($"Pack {Guid.NewGuid():N}"[..12], "USD", "50.00", "55.00", expiryDays, 20));
        Assert.True(pack.Succeeded, pack.Message);
        var session = await scenario.Harness.RunAsync<CreateCheckoutSession, CreateCheckoutSession.Request, CheckoutSessionView>(scenario.Harness.Admin,
            new("cus_acme", pack.Value!.Id));
        Assert.True(session.Succeeded, session.Message);
        return session.Value!;
    }

    private static Task<CheckoutSessionRecord> SessionAsync(PaymentScenario scenario, Guid id) =>
        scenario.Harness.QueryAsync(db => db.CheckoutSessions.AsNoTracking().SingleAsync(s => s.Id == id));

    [Fact]
    public async Task A_delayed_payment_posts_nothing_until_Stripe_says_the_money_arrived_and_then_one_purchase_block()
    {
        await using var scenario = await PaymentScenario.StartAsync();
        var promotionalBefore = await scenario.Billing.BalanceAsync(AccountKind.PromotionalExpense, null); // plan credits so far
        var session = await SellAsync(scenario, expiryDays: 365);

        scenario.Fake.PayCheckoutSession(session.StripeSessionId, delayed: true);
        await scenario.DeliverAndProcessAsync();
        Assert.Equal(CheckoutStatus.AwaitingPayment, (await SessionAsync(scenario, session.Id)).Status);
        Assert.Equal(0, await scenario.EntriesAsync(EntryKind.CreditPurchase));

        scenario.Fake.SettleDelayedPayment(session.StripeSessionId);
        await scenario.DeliverAndProcessAsync();
        foreach (var (id, _) in scenario.Fake.EventLog().Where(e => e.Type.StartsWith("checkout.", StringComparison.Ordinal)).Reverse())
        {
            // Every checkout event again, newest first, under new ids: a replay by someone holding old payloads.
            await scenario.ReceiveAsync(scenario.Fake.GetObjectJson(id)!.Replace(id, id + "_replayed", StringComparison.Ordinal));
        }

        await scenario.ProcessAsync();

        var paid = await SessionAsync(scenario, session.Id);
        Assert.Equal(CheckoutStatus.Paid, paid.Status);
        Assert.Equal(1, await scenario.EntriesAsync(EntryKind.CreditPurchase));
        var block = await scenario.Harness.QueryAsync(db => db.CreditBlocks.AsNoTracking().SingleAsync(b => b.Source == CreditSource.Purchase));
        Assert.Equal((5500L, 20), (block.Amount, block.Priority));
        Assert.Equal(paid.PaidAt!.Value.AddDays(365), block.ExpiresAt);
        // The money in is the price; the 5.00 bonus is promotional expense.
        Assert.Equal(5000, await scenario.Billing.BalanceAsync(AccountKind.StripeClearing, null));
        Assert.Equal(promotionalBefore + 500, await scenario.Billing.BalanceAsync(AccountKind.PromotionalExpense, null));
    }

    [Fact]
    public async Task A_delayed_payment_that_fails_posts_nothing_and_a_completed_but_unpaid_report_after_payment_changes_nothing()
    {
        await using var scenario = await PaymentScenario.StartAsync();
        var failing = await SellAsync(scenario, expiryDays: 30);
        scenario.Fake.PayCheckoutSession(failing.StripeSessionId, delayed: true);
        scenario.Fake.SettleDelayedPayment(failing.StripeSessionId, succeed: false);
        await scenario.DeliverAndProcessAsync();

        Assert.Equal(CheckoutStatus.PaymentFailed, (await SessionAsync(scenario, failing.Id)).Status);
        Assert.Equal(0, await scenario.EntriesAsync(EntryKind.CreditPurchase));

        var paying = await SellAsync(scenario, expiryDays: 30);
        scenario.Fake.PayCheckoutSession(paying.StripeSessionId, delayed: true);
        scenario.Fake.SettleDelayedPayment(paying.StripeSessionId);
        await scenario.DeliverAsync(reverse: true); // "succeeded" is processed before "completed, unpaid"
        await scenario.ProcessAsync();

        Assert.Equal(CheckoutStatus.Paid, (await SessionAsync(scenario, paying.Id)).Status);
        Assert.Equal(1, await scenario.EntriesAsync(EntryKind.CreditPurchase));
    }
}
