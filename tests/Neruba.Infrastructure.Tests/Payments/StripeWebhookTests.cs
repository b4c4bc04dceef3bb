using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Payments;
using Neruba.Infrastructure.Payments.Collection;
using Neruba.Infrastructure.Payments.Webhooks;

namespace Neruba.Infrastructure.Tests.Payments;

/// <summary>The webhook front door and exactly-once processing: signatures, duplicates, reordering, and a process stopped mid-way.</summary>
public sealed class StripeWebhookTests
{
    [Fact]
    public async Task A_body_whose_signature_does_not_verify_is_refused_and_nothing_is_stored()
    {
        await using var scenario = await PaymentScenario.StartAsync();
        await scenario.CollectAsync(scenario.Billing.Acme).ContinueWith(t => scenario.RunCollectionAsync(t.Result.Id)).Unwrap();
        var (eventId, _) = scenario.Fake.EventLog().First(e => e.Type == "payment_intent.succeeded");
        var json = scenario.Fake.GetObjectJson(eventId)!;

        var wrongSecret = await scenario.ReceiveAsync(json, PaymentScenario.Sign(json, "whsec_someone_else"));
        var stale = await scenario.ReceiveAsync(json, PaymentScenario.Sign(json, PaymentScenario.WebhookSecret, DateTimeOffset.UtcNow.AddHours(-1)));
        var changed = json.Replace("\"amount\":4550", "\"amount\":1", StringComparison.Ordinal);
        Assert.NotEqual(json, changed);
        var tampered = await scenario.ReceiveAsync(changed, PaymentScenario.Sign(json, PaymentScenario.WebhookSecret));
        var unsigned = await scenario.ReceiveAsync(json, "");
        var otherProject = await scenario.Service<StripeWebhookIntake>().ReceiveAsync("no-such-project", json, PaymentScenario.Sign(json, PaymentScenario.WebhookSecret),
            CancellationToken.None);

        Assert.All(new[] { wrongSecret, stale, tampered, unsigned }, r => Assert.Equal(WebhookIntakeOutcome.BadSignature, r.Outcome));
        Assert.Equal(WebhookIntakeOutcome.UnknownProject, otherProject.Outcome);
        Assert.Equal(0, await scenario.Harness.QueryAsync(db => db.StripeEvents.CountAsync()));
        Assert.Equal(0, await scenario.EntriesAsync(EntryKind.Payment));
    }

    [Fact]
    public async Task A_project_without_Stripe_keys_takes_no_webhooks()
    {
        await using var scenario = await PaymentScenario.StartAsync(configure: false);
        const string json = """{"id":"evt_1","object":"event","type":"payment_intent.succeeded","data":{"object":{"id":"pi_1"}}}""";

        var result = await scenario.ReceiveAsync(json);

        Assert.Equal(WebhookIntakeOutcome.NotConfigured, result.Outcome);
        Assert.Contains("Settings → Payments", result.Message, StringComparison.Ordinal);
        Assert.Equal(0, await scenario.Harness.QueryAsync(db => db.StripeEvents.CountAsync()));
    }

    [Fact]
    public async Task An_event_delivered_twice_and_processed_twice_posts_the_payment_once()
    {
        await using var scenario = await PaymentScenario.StartAsync();
        var attempt = await scenario.CollectAsync(scenario.Billing.Acme);
        await scenario.RunCollectionAsync(attempt.Id);
        var (eventId, _) = scenario.Fake.EventLog().First(e => e.Type == "payment_intent.succeeded");
        var json = scenario.Fake.GetObjectJson(eventId)!;

        var first = await scenario.ReceiveAsync(json);
        var second = await scenario.ReceiveAsync(json);
        var stored = await scenario.Harness.QueryAsync(db => db.StripeEvents.SingleAsync());
        var processor = scenario.Service<StripeEventProcessor>();
        await Task.WhenAll(processor.ProcessAsync(stored.Id, CancellationToken.None), processor.ProcessAsync(stored.Id, CancellationToken.None));
        await processor.ProcessAsync(stored.Id, CancellationToken.None);

        Assert.Equal(WebhookIntakeOutcome.Stored, first.Outcome);
        Assert.Equal(WebhookIntakeOutcome.Duplicate, second.Outcome);
        var processed = await scenario.Harness.QueryAsync(db => db.StripeEvents.SingleAsync());
        Assert.Equal(StripeEventStatus.Processed, processed.Status);
        Assert.Equal(2, processed.Deliveries);
        Assert.Equal(1, await scenario.EntriesAsync(EntryKind.Payment));
        var invoice = await scenario.Billing.InvoiceAsync(scenario.Billing.Acme);
        Assert.Equal(InvoiceStatus.Paid, invoice.Status);
        Assert.Equal(4550, invoice.PaidTotal);
        Assert.Equal(0, await scenario.Billing.BalanceAsync(AccountKind.CustomerReceivable, invoice.CustomerId));
        Assert.Equal(4550, await scenario.Billing.BalanceAsync(AccountKind.StripeClearing, null));
    }

    [Fact]
    public async Task A_failure_that_arrives_after_the_success_never_turns_a_paid_attempt_back()
    {
        await using var scenario = await PaymentScenario.StartAsync();
        var attempt = await scenario.CollectAsync(scenario.Billing.Acme);
        await scenario.RunCollectionAsync(attempt.Id);
        var (eventId, _) = scenario.Fake.EventLog().First(e => e.Type == "payment_intent.succeeded");
        var succeeded = scenario.Fake.GetObjectJson(eventId)!;

        // A signed failure of the same PaymentIntent, delivered after the success (Stripe does not promise order).
        var failed = succeeded.Replace(eventId, eventId + "_late", StringComparison.Ordinal)
            .Replace("\"payment_intent.succeeded\"", "\"payment_intent.payment_failed\"", StringComparison.Ordinal);
        await scenario.DeliverAsync(reverse: true);
        await scenario.ReceiveAsync(failed);
        await scenario.ProcessAsync();

        var attempts = await scenario.AttemptsAsync((await scenario.Billing.InvoiceAsync(scenario.Billing.Acme)).Id);
        Assert.Single(attempts);
        Assert.Equal(CollectionStatus.Succeeded, attempts[0].Status);
        Assert.Equal(InvoiceStatus.Paid, (await scenario.Billing.InvoiceAsync(scenario.Billing.Acme)).Status);
        Assert.Equal(1, await scenario.EntriesAsync(EntryKind.Payment));
        var late = await scenario.Harness.QueryAsync(db => db.StripeEvents.SingleAsync(e => e.StripeEventId == eventId + "_late"));
        Assert.Contains("already succeeded", late.Outcome, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_event_stored_by_a_process_that_then_stopped_is_found_by_the_recovery_sweep_and_processed_once()
    {
        await using var scenario = await PaymentScenario.StartAsync();
        var attempt = await scenario.CollectAsync(scenario.Billing.Acme);
        await scenario.RunCollectionAsync(attempt.Id);
        await scenario.DeliverAsync();
        var stored = await scenario.Harness.QueryAsync(db => db.StripeEvents.Where(e => e.Type == "payment_intent.succeeded").SingleAsync());
        Assert.Equal(StripeEventStatus.Received, stored.Status);

        // The queue of the stopped process is gone (embedded mode keeps it in memory); the sweep queues the event again once it is past the grace.
        scenario.Harness.Clock.Advance(StripeRecoveryJob.Grace + TimeSpan.FromSeconds(1));
        await scenario.Service<StripeRecoveryJob>().RunAsync(CancellationToken.None);
        Assert.Contains(scenario.Enqueued<StripeEventProcessor>(), args => args.Contains(stored.Id.ToString(), StringComparison.Ordinal));
        await scenario.Service<StripeEventProcessor>().ProcessAsync(stored.Id, CancellationToken.None);
        await scenario.Service<StripeEventProcessor>().ProcessAsync(stored.Id, CancellationToken.None);

        Assert.Equal(1, await scenario.EntriesAsync(EntryKind.Payment));
        Assert.Equal(InvoiceStatus.Paid, (await scenario.Billing.InvoiceAsync(scenario.Billing.Acme)).Status);
    }

    [Fact]
    public async Task A_payment_that_does_not_fit_the_invoice_fails_in_words_and_posts_nothing()
    {
        await using var scenario = await PaymentScenario.StartAsync();
        var attempt = await scenario.CollectAsync(scenario.Billing.Acme);
        await scenario.RunCollectionAsync(attempt.Id);
        var (eventId, _) = scenario.Fake.EventLog().First(e => e.Type == "payment_intent.succeeded");
        var json = scenario.Fake.GetObjectJson(eventId)!.Replace("\"currency\":\"usd\"", "\"currency\":\"eur\"", StringComparison.Ordinal);
        Assert.Contains("\"eur\"", json, StringComparison.Ordinal);
        await scenario.ReceiveAsync(json);
        var stored = await scenario.Harness.QueryAsync(db => db.StripeEvents.SingleAsync());

        await Assert.ThrowsAsync<InvalidOperationException>(() => scenario.Service<StripeEventProcessor>().ProcessAsync(stored.Id, CancellationToken.None));

        var failed = await scenario.Harness.QueryAsync(db => db.StripeEvents.SingleAsync());
        Assert.Equal(StripeEventStatus.Failed, failed.Status);
        Assert.Contains("nothing was posted", failed.LastError, StringComparison.Ordinal);
        Assert.Equal(0, await scenario.EntriesAsync(EntryKind.Payment));
    }
}
