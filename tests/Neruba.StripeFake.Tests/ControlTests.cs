using System.Net;
using System.Text.Json.Nodes;
using Stripe;
using Stripe.Checkout;

namespace Neruba.StripeFake.Tests;

public sealed class ControlTests
{
    [Fact]
    public async Task Every_event_the_fake_sends_deserializes_into_Stripe_nets_typed_objects()
    {
        await using var h = await Harness.StartAsync();
        var customer = await h.CustomerAsync();
        var pi = await h.PaidIntentAsync(5_000, customer.Id);
        await h.Client.V1.Refunds.CreateAsync(new RefundCreateOptions { PaymentIntent = pi.Id, Amount = 1_000 });
        h.Fake.FailNextRefund();
        await h.Client.V1.Refunds.CreateAsync(new RefundCreateOptions { PaymentIntent = pi.Id, Amount = 1_000 });
        h.Fake.ResolveDispute(h.Fake.CreateDispute(pi.LatestChargeId), DisputeOutcome.Won);
        h.Fake.DeclineNextPaymentIntents(1);
        await Assert.ThrowsAsync<StripeException>(() => h.PaidIntentAsync());
        var session = await h.Client.V1.Checkout.Sessions.CreateAsync(new SessionCreateOptions
        {
            Mode = "payment",
            SuccessUrl = "http://localhost/ok",
            LineItems = [new SessionLineItemOptions { Quantity = 1, PriceData = new SessionLineItemPriceDataOptions { Currency = "eur", UnitAmount = 900, ProductData = new SessionLineItemPriceDataProductDataOptions { Name = "x" } } }],
        });
        h.Fake.PayCheckoutSession(session.Id, delayed: true);
        h.Fake.SettleDelayedPayment(session.Id);

        var events = new List<Event>();
        await foreach (var evt in h.Client.V1.Events.ListAutoPagingAsync(new EventListOptions { Limit = 5 }))
        {
            events.Add(evt);
        }

        Assert.Equal(h.Fake.EventLog().Count, events.Count);
        Assert.All(events, e => Assert.NotNull(e.Data.Object));
        Assert.All(events, e => Assert.Equal(StripeConfiguration.ApiVersion, e.ApiVersion));
        await h.Fake.Webhooks.WaitForIdleAsync();
        Assert.Equal(events.Count, h.Receiver.All.Count);
        Assert.All(h.Receiver.All, r => Assert.NotNull(EventUtility.ConstructEvent(r.Json, r.Signature, Harness.WebhookSecret).Data.Object));
        Assert.Contains(events, e => e.Type == "charge.dispute.funds_reinstated");
    }

    [Fact]
    public async Task A_declined_answer_is_replayed_for_its_idempotency_key()
    {
        await using var h = await Harness.StartAsync();
        h.Fake.DeclineNextPaymentIntents(1);
        var options = new PaymentIntentCreateOptions { Amount = 5_000, Currency = "eur", PaymentMethod = "pm_card_visa", Confirm = true };
        var first = await Assert.ThrowsAsync<StripeException>(() => h.Client.V1.PaymentIntents.CreateAsync(options, new RequestOptions { IdempotencyKey = "charge-once" }));
        var replay = await Assert.ThrowsAsync<StripeException>(() => h.Client.V1.PaymentIntents.CreateAsync(options, new RequestOptions { IdempotencyKey = "charge-once" }));
        Assert.Equal(HttpStatusCode.PaymentRequired, replay.HttpStatusCode);
        Assert.Equal(first.StripeError.PaymentIntent.Id, replay.StripeError.PaymentIntent.Id);
        Assert.Single(h.Fake.EventLog(), e => e.Type == "payment_intent.created");
    }

    [Fact]
    public async Task The_control_endpoints_and_dashboard_serve_a_person()
    {
        await using var h = await Harness.StartAsync();
        var customer = await h.CustomerAsync();
        using var http = new HttpClient { BaseAddress = new Uri(h.Fake.BaseUrl) };
        using var paid = await http.PostAsync(new Uri($"/_fake/customers/{customer.Id}/outside-payment?amount=2500&currency=eur", UriKind.Relative), null);
        var ids = JsonNode.Parse(await paid.Content.ReadAsStringAsync())!;
        var charge = await h.Client.V1.Charges.GetAsync(ids["charge"]!.GetValue<string>());
        Assert.Equal(2_500, charge.Amount);

        using var dispute = await http.PostAsync(new Uri($"/_fake/charges/{charge.Id}/dispute?reason=fraudulent", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.OK, dispute.StatusCode);
        using var mode = await http.PostAsync(new Uri("/_fake/webhooks/mode?mode=manual", UriKind.Relative), null);
        await h.CustomerAsync();
        Assert.Equal(1, h.Fake.Webhooks.PendingCount);
        using var missing = await http.PostAsync(new Uri("/_fake/disputes/dp_nope/resolve?outcome=won", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        var page = await http.GetStringAsync(new Uri("/_fake", UriKind.Relative));
        Assert.Contains("Resend with bad signature", page, StringComparison.Ordinal);
        Assert.Contains(charge.PaymentIntentId, page, StringComparison.Ordinal);
    }
}
