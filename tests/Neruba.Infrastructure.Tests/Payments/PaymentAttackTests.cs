using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Billing.Corrections;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Payments;
using Neruba.Infrastructure.Payments.Collection;
using Neruba.Infrastructure.Payments.Refunds;
using Neruba.Infrastructure.Payments.Settings;
using Neruba.Infrastructure.Payments.Webhooks;
using Neruba.StripeFake;

namespace Neruba.Infrastructure.Tests.Payments;

/// <summary>What an outside review tried against Stripe payments: each control gets a test that tries to break it.</summary>
public sealed class PaymentAttackTests
{
    [Fact]
    public async Task While_a_Stripe_collection_is_under_way_nothing_may_change_what_is_due_so_the_customer_never_pays_twice()
    {
        await using var scenario = await PaymentScenario.StartAsync();
        var attempt = await scenario.CollectAsync(scenario.Billing.Acme);
        await scenario.RunCollectionAsync(attempt.Id); // Processing: the PaymentIntent is out, its webhook not in yet
        var acme = scenario.Billing.Acme;

        var bank = await scenario.Billing.PayAsync(acme, "45.50", "BANK-LATE");
        var voided = await scenario.Harness.RunAsync<VoidInvoice, VoidInvoice.Request, InvoiceSummaryState>(scenario.Harness.Admin, new(acme, "Wrong invoice"));
        var credited = await scenario.Billing.CreditAsync(acme, flat: "5.00");
        var writtenOff = await scenario.Harness.RunAsync<MarkInvoiceUncollectible, MarkInvoiceUncollectible.Request, InvoiceSummaryState>(scenario.Harness.Admin,
            new(acme, "Gone"));

        Assert.All(new[] { bank.Message, voided.Message, credited.Message, writtenOff.Message },
            message => Assert.Contains("still under way", message, StringComparison.Ordinal));
        await scenario.DeliverAndProcessAsync();
        var invoice = await scenario.Billing.InvoiceAsync(acme);
        Assert.Equal((InvoiceStatus.Paid, 4550L), (invoice.Status, invoice.PaidTotal));
        Assert.Equal(0, await scenario.Billing.BalanceAsync(AccountKind.BankReceipts, null));
        Assert.True((await scenario.Billing.PayAsync(acme, "1.00", "BANK-AFTER")).Message!.Contains("Nothing is due", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_event_verified_before_the_keys_were_removed_is_still_processed()
    {
        await using var scenario = await PaymentScenario.StartAsync();
        var attempt = await scenario.CollectAsync(scenario.Billing.Acme);
        await scenario.RunCollectionAsync(attempt.Id);
        await scenario.DeliverAsync();
        var removed = await scenario.Harness.RunAsync<RemoveStripeSettings, RemoveStripeSettings.Request, StripeSettingsView>(scenario.Harness.Admin,
            new("Rotating keys"));
        Assert.True(removed.Succeeded, removed.Message);

        await scenario.ProcessAsync();

        Assert.Equal(InvoiceStatus.Paid, (await scenario.Billing.InvoiceAsync(scenario.Billing.Acme)).Status);
        Assert.DoesNotContain(await scenario.Harness.QueryAsync(db => db.StripeEvents.Select(e => e.Status).ToListAsync()), s => s == StripeEventStatus.Failed);
    }

    [Fact]
    public async Task A_refund_that_fails_after_it_succeeded_is_reversed_owed_again_and_can_be_retried_or_paid_another_way()
    {
        await using var scenario = await PaymentScenario.StartAsync();
        await scenario.PayAcmeThroughStripeAsync();
        await scenario.Billing.CreditAsync(scenario.Billing.Acme, flat: "10.00", refund: "10.00");
        var refund = Assert.Single(await scenario.RefundsAsync());
        await scenario.Service<StripeRefundJob>().RunAsync(refund.Id, CancellationToken.None);
        await scenario.DeliverAndProcessAsync();
        refund = Assert.Single(await scenario.RefundsAsync());
        Assert.Equal(RefundStatus.Succeeded, refund.Status);

        // Stripe reports the same refund failed later (the card was closed); then the older "succeeded" arrives once more.
        var succeededEvent = scenario.Fake.EventLog().Last(e => e.Type == "refund.updated").Id;
        var json = scenario.Fake.GetObjectJson(succeededEvent)!;
        var failedLater = json.Replace(succeededEvent, succeededEvent + "_failed", StringComparison.Ordinal)
            .Replace("\"status\":\"succeeded\"", "\"status\":\"failed\",\"failure_reason\":\"expired_or_canceled_card\"", StringComparison.Ordinal)
            .Replace("\"refund.updated\"", "\"refund.failed\"", StringComparison.Ordinal);
        Assert.Contains("expired_or_canceled_card", failedLater, StringComparison.Ordinal);
        await scenario.ReceiveAsync(failedLater);
        await scenario.ReceiveAsync(json.Replace(succeededEvent, succeededEvent + "_again", StringComparison.Ordinal));
        await scenario.ProcessAsync();

        refund = Assert.Single(await scenario.RefundsAsync());
        Assert.Equal(RefundStatus.Failed, refund.Status);
        Assert.Contains("owed to the customer again", refund.FailureReason, StringComparison.Ordinal);
        Assert.Equal(-1000, await scenario.Billing.BalanceAsync(AccountKind.RefundsPending, null));
        Assert.Equal(4550, await scenario.Billing.BalanceAsync(AccountKind.StripeClearing, null));

        var outside = await scenario.Harness.RunAsync<SettleRefundOutsideStripe, SettleRefundOutsideStripe.Request, StripeRefundView>(scenario.Harness.Admin,
            new(refund.Id, "BANK-REFUND-7"));
        var twice = await scenario.Harness.RunAsync<SettleRefundOutsideStripe, SettleRefundOutsideStripe.Request, StripeRefundView>(scenario.Harness.Admin,
            new(refund.Id, "BANK-REFUND-8"));
        Assert.True(outside.Succeeded, outside.Message);
        Assert.False(twice.Succeeded);
        Assert.Equal(RefundStatus.Canceled, Assert.Single(await scenario.RefundsAsync()).Status);
        Assert.Equal(0, await scenario.Billing.BalanceAsync(AccountKind.RefundsPending, null));
        Assert.Equal(-1000, await scenario.Billing.BalanceAsync(AccountKind.BankReceipts, null));
    }

    [Fact]
    public async Task During_a_Stripe_outage_the_sweep_leaves_Hangfires_retries_alone_and_after_a_restart_takes_the_attempt_back()
    {
        await using var scenario = await PaymentScenario.StartAsync();
        var attempt = await scenario.CollectAsync(scenario.Billing.Acme);
        await scenario.RunCollectionAsync(attempt.Id); // makes the Stripe customer; the next call is the PaymentIntent
        await scenario.Harness.QueryAsync(db => db.CollectionAttempts.Where(a => a.Id == attempt.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Status, CollectionStatus.Requested)));
        scenario.Fake.FailNext(FakeFault.RateLimited, 100);
        await Assert.ThrowsAnyAsync<Exception>(() => scenario.RunCollectionAsync(attempt.Id));
        int Queued() => scenario.Enqueued<CollectionJob>().Count(args => args.Contains(attempt.Id.ToString(), StringComparison.Ordinal));
        var before = Queued();

        for (var minute = 0; minute < 10; minute++)
        {
            scenario.Harness.Clock.Advance(TimeSpan.FromMinutes(1));
            await scenario.Service<StripeRecoveryJob>().RunAsync(CancellationToken.None);
        }

        Assert.Equal(before, Queued());
        await scenario.Service<StripeRecoveryJob>().RunAsync(afterStart: true, CancellationToken.None);
        Assert.Equal(before + 1, Queued());
    }

    [Fact]
    public async Task A_signed_body_that_is_not_an_event_object_is_refused_without_an_error()
    {
        await using var scenario = await PaymentScenario.StartAsync();

        foreach (var body in new[] { "[]", "null", "{}", "\"evt\"" })
        {
            var result = await scenario.ReceiveAsync(body);
            Assert.Equal(WebhookIntakeOutcome.BadSignature, result.Outcome);
        }

        Assert.Equal(0, await scenario.Harness.QueryAsync(db => db.StripeEvents.CountAsync()));
    }
}
