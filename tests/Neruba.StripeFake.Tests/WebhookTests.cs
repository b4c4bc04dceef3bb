using Neruba.StripeFake.Webhooks;
using Stripe;

namespace Neruba.StripeFake.Tests;

public sealed class WebhookTests
{
    [Fact]
    public async Task Manual_mode_holds_events_until_delivered_reversed_and_twice()
    {
        await using var h = await Harness.StartAsync(new FakeStripeOptions { WebhookMode = WebhookMode.Manual });
        await h.PaidIntentAsync();
        Assert.Empty(h.Receiver.All);
        var pending = h.Fake.Webhooks.PendingCount;
        Assert.Equal(3, pending); // payment_intent.created, charge.succeeded, payment_intent.succeeded

        var sent = await h.Fake.Webhooks.DeliverPendingAsync(reverse: true, duplicate: true);
        Assert.Equal(6, sent.Count);
        Assert.All(sent, d => Assert.Equal(200, d.StatusCode));
        Assert.Equal(
            ["payment_intent.succeeded", "payment_intent.succeeded", "charge.succeeded", "charge.succeeded", "payment_intent.created", "payment_intent.created"],
            h.Receiver.All.Select(r => r.Type));
        Assert.All(h.Receiver.All, r => EventUtility.ConstructEvent(r.Json, r.Signature, Harness.WebhookSecret));
        Assert.Equal(0, h.Fake.Webhooks.PendingCount);
    }

    [Fact]
    public async Task Tampered_resends_fail_verification_and_failed_deliveries_are_retried()
    {
        await using var h = await Harness.StartAsync(new FakeStripeOptions { WebhookRetryBackoff = TimeSpan.FromMilliseconds(10) });
        h.Receiver.FailNext(2);
        var customer = await h.CustomerAsync();
        var created = await h.WebhookAsync("customer.created");
        Assert.Equal(customer.Id, ((Customer)created.Data.Object).Id);
        await h.Fake.Webhooks.WaitForIdleAsync(); // the attempt is recorded once its answer is back
        Assert.Equal([500, 500, 200], h.Fake.Webhooks.Deliveries.Where(d => d.EventId == created.Id).Select(d => d.StatusCode ?? 0));
        Assert.Equal(StripeConfiguration.ApiVersion, created.ApiVersion);

        foreach (var tampering in new[] { WebhookTampering.BadSignature, WebhookTampering.StaleTimestamp })
        {
            var before = h.Receiver.All.Count;
            await h.Fake.Webhooks.SendAsync(created.Id, tampering);
            var resent = h.Receiver.All[before];
            Assert.Throws<StripeException>(() => EventUtility.ConstructEvent(resent.Json, resent.Signature, Harness.WebhookSecret));
        }

        await h.Fake.Webhooks.SendAsync(created.Id, WebhookTampering.Duplicate);
        Assert.Equal(3, h.Receiver.All.Count(r => r.Id == created.Id) - 2);
        var evt = await h.Client.V1.Events.GetAsync(created.Id);
        Assert.Equal("customer.created", evt.Type);
    }
}
