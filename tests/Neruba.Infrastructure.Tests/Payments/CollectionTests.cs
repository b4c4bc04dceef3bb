using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Payments;
using Neruba.Infrastructure.Payments.Collection;
using Neruba.Infrastructure.Payments.Fees;
using Neruba.StripeFake;
using Stripe;

namespace Neruba.Infrastructure.Tests.Payments;

/// <summary>Collecting invoices through PaymentIntents: declines and the retry schedule, Stripe's errors in words, fees, automatic collection.</summary>
public sealed class CollectionTests
{
    [Fact]
    public async Task A_declined_collection_is_retried_on_schedule_and_the_retry_pays_the_invoice()
    {
        await using var scenario = await PaymentScenario.StartAsync(retrySchedule: "1,3,7");
        scenario.Fake.DeclineNextPaymentIntents(1);
        var invoice = await scenario.Billing.InvoiceAsync(scenario.Billing.Acme);

        var first = await scenario.CollectAsync(scenario.Billing.Acme);
        await scenario.RunCollectionAsync(first.Id);
        await scenario.DeliverAndProcessAsync(); // payment_intent.payment_failed: already recorded, no second retry

        var attempts = await scenario.AttemptsAsync(invoice.Id);
        Assert.Equal(2, attempts.Count);
        Assert.Equal(CollectionStatus.Failed, attempts[0].Status);
        Assert.Equal("The card was declined (generic decline): Your card was declined.", attempts[0].FailureMessage);
        Assert.Equal((CollectionTrigger.Retry, CollectionStatus.Scheduled), (attempts[1].Trigger, attempts[1].Status));
        Assert.Equal(scenario.Harness.Clock.GetUtcNow().AddDays(1).Date, attempts[1].ScheduledFor!.Value.UtcDateTime.Date);
        Assert.Equal(InvoiceStatus.Finalized, (await scenario.Billing.InvoiceAsync(scenario.Billing.Acme)).Status);

        await scenario.RunCollectionAsync(attempts[1].Id); // too early: nothing happens
        Assert.Equal(CollectionStatus.Scheduled, (await scenario.AttemptsAsync(invoice.Id))[1].Status);
        scenario.Harness.Clock.Advance(TimeSpan.FromDays(1));
        await scenario.RunCollectionAsync(attempts[1].Id);
        await scenario.DeliverAndProcessAsync();

        attempts = await scenario.AttemptsAsync(invoice.Id);
        Assert.Equal(2, attempts.Count);
        Assert.Equal(CollectionStatus.Succeeded, attempts[1].Status);
        var paid = await scenario.Billing.InvoiceAsync(scenario.Billing.Acme);
        Assert.Equal((InvoiceStatus.Paid, 0L, 4550L), (paid.Status, paid.AmountDue, paid.PaidTotal));

        await scenario.Service<StripeFeeJob>().RecordAsync(scenario.Harness.ProjectId, attempts[1].PaymentIntentId!, CancellationToken.None);
        await scenario.Service<StripeFeeJob>().RecordAsync(scenario.Harness.ProjectId, attempts[1].PaymentIntentId!, CancellationToken.None);
        var expectedFee = (long)Math.Round(4550 * 0.029m, MidpointRounding.AwayFromZero) + 30;
        Assert.Equal(expectedFee, (await scenario.AttemptsAsync(invoice.Id))[1].Fee);
        Assert.Equal(expectedFee, await scenario.Billing.BalanceAsync(AccountKind.PaymentFees, null));
        Assert.Equal(4550 - expectedFee, await scenario.Billing.BalanceAsync(AccountKind.StripeClearing, null));
    }

    [Fact]
    public async Task When_the_retries_are_used_up_the_attempt_says_so_and_nothing_more_is_scheduled()
    {
        await using var scenario = await PaymentScenario.StartAsync(retrySchedule: "2");
        scenario.Fake.DeclineNextPaymentIntents(2);
        var invoice = await scenario.Billing.InvoiceAsync(scenario.Billing.Acme);
        var first = await scenario.CollectAsync(scenario.Billing.Acme);
        await scenario.RunCollectionAsync(first.Id);
        scenario.Harness.Clock.Advance(TimeSpan.FromDays(2));
        await scenario.RunCollectionAsync((await scenario.AttemptsAsync(invoice.Id))[1].Id);
        await scenario.DeliverAndProcessAsync();

        var attempts = await scenario.AttemptsAsync(invoice.Id);
        Assert.Equal([CollectionStatus.Failed, CollectionStatus.Failed], attempts.Select(a => a.Status));
        var outcomes = await scenario.Harness.QueryAsync(db => db.StripeEvents.Where(e => e.Type == "payment_intent.payment_failed").Select(e => e.Outcome).ToListAsync());
        Assert.Contains(outcomes, o => o!.Contains("No retries left (1 of 1 used)", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(FakeFault.RateLimited, "rate limited")]
    [InlineData(FakeFault.Timeout, "did not answer in time")]
    [InlineData(FakeFault.ServerError, "internal error")]
    public async Task A_Stripe_outage_is_shown_in_words_and_the_same_attempt_later_charges_once(FakeFault fault, string words)
    {
        await using var scenario = await PaymentScenario.StartAsync(timeoutSeconds: fault == FakeFault.Timeout ? 4 : 30);
        var invoice = await scenario.Billing.InvoiceAsync(scenario.Billing.Acme);
        var attempt = await scenario.CollectAsync(scenario.Billing.Acme);
        await scenario.RunCollectionAsync(attempt.Id); // creates the Stripe customer first, so the fault hits the PaymentIntent
        await scenario.Harness.QueryAsync(db => db.CollectionAttempts.Where(a => a.Id == attempt.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Status, CollectionStatus.Requested)));
        scenario.Fake.FailNext(fault);

        await Assert.ThrowsAnyAsync<Exception>(() => scenario.RunCollectionAsync(attempt.Id));

        var waiting = (await scenario.AttemptsAsync(invoice.Id)).Single();
        Assert.Equal(CollectionStatus.Requested, waiting.Status);
        Assert.Contains(words, waiting.FailureMessage, StringComparison.Ordinal);
        await scenario.RunCollectionAsync(attempt.Id); // Hangfire's retry: same idempotency key
        await scenario.DeliverAndProcessAsync();
        Assert.Single(scenario.Fake.EventLog(), e => e.Type == "payment_intent.succeeded");
        Assert.Equal(InvoiceStatus.Paid, (await scenario.Billing.InvoiceAsync(scenario.Billing.Acme)).Status);
        Assert.Equal(1, await scenario.EntriesAsync(EntryKind.Payment));
    }

    [Fact]
    public async Task Collecting_is_refused_in_words_without_Stripe_for_support_and_while_an_attempt_is_under_way()
    {
        await using var scenario = await PaymentScenario.StartAsync(configure: false);
        var support = await scenario.Harness.AddPersonAsync("support@example.test", ProjectRole.Support);

        var notConfigured = await scenario.Harness.RunAsync<CollectInvoice, CollectInvoice.Request, CollectionAttemptView>(scenario.Harness.Admin,
            new(scenario.Billing.Acme));
        await scenario.ConfigureAsync();
        var bySupport = await scenario.Harness.RunAsync<CollectInvoice, CollectInvoice.Request, CollectionAttemptView>(support, new(scenario.Billing.Acme));
        await scenario.CollectAsync(scenario.Billing.Acme);
        var twice = await scenario.Harness.RunAsync<CollectInvoice, CollectInvoice.Request, CollectionAttemptView>(scenario.Harness.Admin,
            new(scenario.Billing.Acme));

        Assert.Contains("Stripe is not configured", notConfigured.Message, StringComparison.Ordinal);
        Assert.False(bySupport.Succeeded);
        Assert.Contains("still under way", twice.Message, StringComparison.Ordinal);
        Assert.Single(await scenario.AttemptsAsync((await scenario.Billing.InvoiceAsync(scenario.Billing.Acme)).Id));
    }

    [Fact]
    public async Task Automatic_collection_starts_once_per_finalized_invoice_of_a_run()
    {
        await using var scenario = await PaymentScenario.StartAsync(configure: false);
        await scenario.ConfigureAsync(autoCollect: true);
        var runId = await scenario.Harness.QueryAsync(db => db.BillingRuns.Select(r => r.Id).SingleAsync());

        await scenario.Service<AutoCollection>().StartForRunAsync(runId, CancellationToken.None);
        await scenario.Service<AutoCollection>().StartForRunAsync(runId, CancellationToken.None);

        var attempts = await scenario.Harness.QueryAsync(db => db.CollectionAttempts.AsNoTracking().ToListAsync());
        Assert.Equal(2, attempts.Count);
        Assert.All(attempts, a => Assert.Equal((1, CollectionTrigger.Automatic, CollectionStatus.Requested), (a.Number, a.Trigger, a.Status)));
        Assert.Equal(2, scenario.Enqueued<CollectionJob>().Count);
    }

    [Fact]
    public async Task A_collection_left_requested_by_a_stopped_process_is_queued_again_only_after_a_Stripe_call_could_have_ended()
    {
        await using var scenario = await PaymentScenario.StartAsync();
        var attempt = await scenario.CollectAsync(scenario.Billing.Acme);

        scenario.Harness.Clock.Advance(TimeSpan.FromMinutes(1));
        await scenario.Service<Infrastructure.Payments.StripeRecoveryJob>().RunAsync(CancellationToken.None);
        var early = scenario.Enqueued<CollectionJob>().Count(args => args.Contains(attempt.Id.ToString(), StringComparison.Ordinal));
        scenario.Harness.Clock.Advance(Infrastructure.Payments.StripeRecoveryJob.CallGrace);
        await scenario.Service<Infrastructure.Payments.StripeRecoveryJob>().RunAsync(CancellationToken.None);
        var late = scenario.Enqueued<CollectionJob>().Count(args => args.Contains(attempt.Id.ToString(), StringComparison.Ordinal));

        Assert.Equal(early + 1, late);
        await scenario.RunCollectionAsync(attempt.Id);
        await scenario.RunCollectionAsync(attempt.Id);
        await scenario.DeliverAndProcessAsync();
        Assert.Single(scenario.Fake.EventLog(), e => e.Type == "payment_intent.succeeded");
        Assert.Equal(1, await scenario.EntriesAsync(EntryKind.Payment));
    }
}
