using System.Net;
using Stripe;

namespace Neruba.StripeFake.Tests;

public sealed class RefundTests
{
    [Fact]
    public async Task A_refund_succeeds_with_a_negative_balance_transaction_and_updates_the_charge()
    {
        await using var h = await Harness.StartAsync();
        var pi = await h.PaidIntentAsync(10_000);
        var refund = await h.Client.V1.Refunds.CreateAsync(new RefundCreateOptions
        {
            PaymentIntent = pi.Id, Amount = 4_000, Reason = "requested_by_customer", Metadata = new Dictionary<string, string> { ["neruba_credit_note"] = "CN-1" },
        });
        Assert.Equal("succeeded", refund.Status);
        var txn = await h.Client.V1.BalanceTransactions.GetAsync(refund.BalanceTransactionId);
        Assert.Equal(-4_000, txn.Amount);
        Assert.Equal("refund", txn.ReportingCategory);

        var charge = (Charge)(await h.WebhookAsync("charge.refunded")).Data.Object;
        Assert.Equal(4_000, charge.AmountRefunded);
        Assert.False(charge.Refunded);
        Assert.Equal(refund.Id, Assert.Single(charge.Refunds.Data).Id);
        await h.WebhookAsync("refund.created");
        Assert.Equal("CN-1", ((Refund)(await h.WebhookAsync("refund.updated")).Data.Object).Metadata["neruba_credit_note"]);

        var tooMuch = await Assert.ThrowsAsync<StripeException>(() => h.Client.V1.Refunds.CreateAsync(new RefundCreateOptions { Charge = charge.Id, Amount = 6_001 }));
        Assert.Equal(HttpStatusCode.BadRequest, tooMuch.HttpStatusCode);
        Assert.Equal("invalid_request_error", tooMuch.StripeError.Type);
        Assert.Equal(6_000, (await h.Client.V1.Refunds.CreateAsync(new RefundCreateOptions { Charge = charge.Id })).Amount);
        Assert.True((await h.Client.V1.Charges.GetAsync(charge.Id)).Refunded);
    }

    [Fact]
    public async Task A_refund_can_fail_or_stay_pending_until_settled()
    {
        await using var h = await Harness.StartAsync();
        var pi = await h.PaidIntentAsync(10_000);

        h.Fake.FailNextRefund("lost_or_stolen_card");
        var failed = await h.Client.V1.Refunds.CreateAsync(new RefundCreateOptions { PaymentIntent = pi.Id });
        Assert.Equal("failed", failed.Status);
        Assert.Equal("lost_or_stolen_card", failed.FailureReason);
        Assert.Equal("failed", ((Refund)(await h.WebhookAsync("refund.failed")).Data.Object).Status);

        h.Fake.PendNextRefund();
        var pending = await h.Client.V1.Refunds.CreateAsync(new RefundCreateOptions { PaymentIntent = pi.Id, Amount = 1_000 });
        Assert.Equal("pending", pending.Status);
        h.Fake.SettleRefund(pending.Id, succeed: true);
        var settled = await h.Client.V1.Refunds.GetAsync(pending.Id);
        Assert.Equal("succeeded", settled.Status);
        Assert.NotNull(settled.BalanceTransactionId);
        await h.WebhookAsync("refund.updated", e => ((Refund)e.Data.Object).Id == pending.Id && ((Refund)e.Data.Object).Status == "succeeded");
    }
}
