using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Payments;
using Neruba.Infrastructure.Payments.Refunds;

namespace Neruba.Infrastructure.Tests.Payments;

/// <summary>A credit note's refund goes back through Stripe as far as Stripe paid the invoice; the ledger settles on Stripe's confirmation.</summary>
public sealed class StripeRefundTests
{
    [Fact]
    public async Task A_credit_note_refund_on_a_Stripe_paid_invoice_goes_through_Stripe_and_posts_when_Stripe_confirms()
    {
        await using var scenario = await PaymentScenario.StartAsync();
        await scenario.PayAcmeThroughStripeAsync();

        var note = await scenario.Billing.CreditAsync(scenario.Billing.Acme, flat: "10.00", refund: "10.00");
        Assert.True(note.Succeeded, note.Message);
        var refund = Assert.Single(await scenario.RefundsAsync());
        Assert.Equal((RefundStatus.Requested, 1000L), (refund.Status, refund.Amount));
        Assert.Equal(-1000, await scenario.Billing.BalanceAsync(AccountKind.RefundsPending, null));
        Assert.Equal(0, await scenario.Billing.BalanceAsync(AccountKind.BankReceipts, null));

        await scenario.Service<StripeRefundJob>().RunAsync(refund.Id, CancellationToken.None);
        await scenario.Service<StripeRefundJob>().RunAsync(refund.Id, CancellationToken.None);
        Assert.Equal(RefundStatus.Pending, (await scenario.RefundsAsync()).Single().Status);
        await scenario.DeliverAndProcessAsync();

        refund = Assert.Single(await scenario.RefundsAsync());
        Assert.Equal(RefundStatus.Succeeded, refund.Status);
        Assert.StartsWith("re_", refund.StripeRefundId, StringComparison.Ordinal);
        Assert.Equal(1, await scenario.EntriesAsync(EntryKind.Refund));
        Assert.Equal(0, await scenario.Billing.BalanceAsync(AccountKind.RefundsPending, null));
        Assert.Equal(4550 - 1000, await scenario.Billing.BalanceAsync(AccountKind.StripeClearing, null));
        Assert.Single(scenario.Fake.EventLog(), e => e.Type == "refund.created");
    }

    [Fact]
    public async Task A_refund_Stripe_could_not_deliver_is_shown_in_words_and_tried_again_once()
    {
        await using var scenario = await PaymentScenario.StartAsync();
        await scenario.PayAcmeThroughStripeAsync();
        await scenario.Billing.CreditAsync(scenario.Billing.Acme, flat: "5.00", refund: "5.00");
        var refund = Assert.Single(await scenario.RefundsAsync());
        scenario.Fake.FailNextRefund("lost_or_stolen_card");

        await scenario.Service<StripeRefundJob>().RunAsync(refund.Id, CancellationToken.None);
        await scenario.DeliverAndProcessAsync();
        refund = Assert.Single(await scenario.RefundsAsync());
        Assert.Equal(RefundStatus.Failed, refund.Status);
        Assert.Contains("lost or stolen", refund.FailureReason, StringComparison.Ordinal);
        Assert.Equal(-500, await scenario.Billing.BalanceAsync(AccountKind.RefundsPending, null));

        var retry = await scenario.Harness.RunAsync<RetryStripeRefund, RetryStripeRefund.Request, StripeRefundView>(scenario.Harness.Admin, new(refund.Id));
        var again = await scenario.Harness.RunAsync<RetryStripeRefund, RetryStripeRefund.Request, StripeRefundView>(scenario.Harness.Admin, new(refund.Id));
        Assert.True(retry.Succeeded, retry.Message);
        Assert.False(again.Succeeded);
        await scenario.Service<StripeRefundJob>().RunAsync(refund.Id, CancellationToken.None);
        await scenario.DeliverAndProcessAsync();

        refund = Assert.Single(await scenario.RefundsAsync());
        Assert.Equal((RefundStatus.Succeeded, 2), (refund.Status, refund.Attempt));
        Assert.Equal(1, await scenario.EntriesAsync(EntryKind.Refund));
        Assert.Equal(0, await scenario.Billing.BalanceAsync(AccountKind.RefundsPending, null));
    }

    [Fact]
    public async Task A_refund_on_an_invoice_paid_by_bank_transfer_stays_out_of_band()
    {
        await using var scenario = await PaymentScenario.StartAsync();
        Assert.True((await scenario.Billing.PayAsync(scenario.Billing.Acme, "45.50")).Succeeded);

        var note = await scenario.Billing.CreditAsync(scenario.Billing.Acme, flat: "10.00", refund: "10.00");

        Assert.True(note.Succeeded, note.Message);
        Assert.Empty(await scenario.RefundsAsync());
        Assert.Equal(4550 - 1000, await scenario.Billing.BalanceAsync(AccountKind.BankReceipts, null));
        Assert.Equal(0, await scenario.Billing.BalanceAsync(AccountKind.RefundsPending, null));
    }
}
