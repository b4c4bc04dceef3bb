using System.Net;
using Stripe;

namespace Neruba.StripeFake.Tests;

public sealed class PaymentIntentTests
{
    [Fact]
    public async Task A_paid_intent_leaves_a_charge_and_a_balance_transaction_with_Stripes_fee()
    {
        await using var h = await Harness.StartAsync();
        var customer = await h.CustomerAsync();
        var pi = await h.PaidIntentAsync(10_000, customer.Id);
        Assert.Equal("succeeded", pi.Status);

        var charge = await h.Client.V1.Charges.GetAsync(pi.LatestChargeId, new ChargeGetOptions { Expand = ["balance_transaction"] });
        Assert.True(charge.Paid);
        Assert.True(charge.Captured);
        Assert.Equal(customer.Id, charge.CustomerId);
        Assert.Equal("INV-1", charge.Metadata["neruba_invoice"]);
        var txn = charge.BalanceTransaction;
        Assert.Equal(10_000, txn.Amount);
        Assert.Equal(320, txn.Fee); // 2.9 % of 100.00 = 2.90, + 0.30
        Assert.Equal(9_680, txn.Net);
        Assert.Equal("charge", txn.ReportingCategory);
        Assert.Equal(charge.Id, txn.SourceId);
        Assert.Equal(txn.Id, (await h.Client.V1.BalanceTransactions.GetAsync(txn.Id)).Id);

        var evt = await h.WebhookAsync("payment_intent.succeeded");
        Assert.Equal(pi.Id, ((PaymentIntent)evt.Data.Object).Id);
        await h.WebhookAsync("charge.succeeded");
    }

    [Fact]
    public async Task A_declined_card_answers_402_card_declined_and_sends_payment_failed()
    {
        await using var h = await Harness.StartAsync();
        var customer = await h.CustomerAsync();
        var declined = await Assert.ThrowsAsync<StripeException>(() => h.Client.V1.PaymentIntents.CreateAsync(new PaymentIntentCreateOptions
        {
            Amount = 5_000, Currency = "eur", Customer = customer.Id, PaymentMethod = "pm_card_chargeDeclined", Confirm = true, OffSession = true,
        }));
        Assert.Equal(HttpStatusCode.PaymentRequired, declined.HttpStatusCode);
        Assert.Equal("card_declined", declined.StripeError.Code);
        Assert.Equal("generic_decline", declined.StripeError.DeclineCode);
        Assert.Equal("requires_payment_method", declined.StripeError.PaymentIntent.Status);

        var failed = (PaymentIntent)(await h.WebhookAsync("payment_intent.payment_failed")).Data.Object;
        Assert.Equal("card_declined", failed.LastPaymentError.Code);

        h.Fake.DeclineNextPaymentIntents(1);
        await Assert.ThrowsAsync<StripeException>(() => h.PaidIntentAsync());
        Assert.Equal("succeeded", (await h.PaidIntentAsync()).Status);
    }

    [Fact]
    public async Task Faults_answer_429_500_or_hold_until_the_client_gives_up()
    {
        // The client's timeout is short only compared with the fake's hold, and long enough that a loaded machine finishes the normal calls within it.
        await using var h = await Harness.StartAsync(new FakeStripeOptions { TimeoutHold = TimeSpan.FromSeconds(60) }, clientTimeout: TimeSpan.FromSeconds(5));
        await h.CustomerAsync(); // warm up: a cold first call must not eat the client timeout
        h.Fake.FailNext(FakeFault.RateLimited);
        var limited = await Assert.ThrowsAsync<StripeException>(h.CustomerAsync);
        Assert.Equal((HttpStatusCode)429, limited.HttpStatusCode);
        Assert.Equal("rate_limit", limited.StripeError.Code);

        h.Fake.FailNext(FakeFault.ServerError);
        Assert.Equal(HttpStatusCode.InternalServerError, (await Assert.ThrowsAsync<StripeException>(h.CustomerAsync)).HttpStatusCode);

        h.Fake.FailNext(FakeFault.Timeout);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<Exception>(h.CustomerAsync);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(4.5), TimeSpan.FromSeconds(45));
        Assert.StartsWith("cus_", (await h.CustomerAsync()).Id, StringComparison.Ordinal);
    }
}
