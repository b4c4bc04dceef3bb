using Stripe;
using Stripe.Checkout;

namespace Neruba.StripeFake.Tests;

public sealed class CheckoutTests
{
    private static SessionCreateOptions Options(string customer) => new()
    {
        Mode = "payment",
        Customer = customer,
        ClientReferenceId = "INV-2026-0001",
        SuccessUrl = "http://localhost/paid?session={CHECKOUT_SESSION_ID}",
        CancelUrl = "http://localhost/cancelled",
        Metadata = new Dictionary<string, string> { ["neruba_invoice"] = "17" },
        PaymentIntentData = new SessionPaymentIntentDataOptions { Metadata = new Dictionary<string, string> { ["neruba_invoice"] = "17" } },
        LineItems =
        [
            new SessionLineItemOptions
            {
                Quantity = 2,
                PriceData = new SessionLineItemPriceDataOptions { Currency = "eur", UnitAmount = 1250, ProductData = new SessionLineItemPriceDataProductDataOptions { Name = "Invoice INV-2026-0001" } },
            },
        ],
    };

    [Fact]
    public async Task A_card_payment_completes_the_session_and_sends_a_signed_event_with_the_metadata()
    {
        await using var h = await Harness.StartAsync();
        var customer = await h.CustomerAsync();
        var session = await h.Client.V1.Checkout.Sessions.CreateAsync(Options(customer.Id));
        Assert.StartsWith("cs_test_", session.Id, StringComparison.Ordinal);
        Assert.Equal($"{h.Fake.BaseUrl}/checkout/pay/{session.Id}", session.Url);
        Assert.Equal(2500, session.AmountTotal);

        // The person's click on the hosted page.
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        Assert.Contains("Pay with card", await http.GetStringAsync(session.Url), StringComparison.Ordinal);
        using var pay = await http.PostAsync(session.Url, new FormUrlEncodedContent([new("method", "card")]));
        Assert.Equal($"http://localhost/paid?session={session.Id}", pay.Headers.Location?.ToString());

        var evt = await h.WebhookAsync("checkout.session.completed");
        var completed = (Session)evt.Data.Object;
        Assert.Equal("paid", completed.PaymentStatus);
        Assert.Equal("17", completed.Metadata["neruba_invoice"]);
        Assert.Equal("INV-2026-0001", completed.ClientReferenceId);
        var pi = await h.Client.V1.PaymentIntents.GetAsync(completed.PaymentIntentId);
        Assert.Equal("succeeded", pi.Status);
        Assert.Equal("17", pi.Metadata["neruba_invoice"]);
        Assert.Equal(2500, pi.AmountReceived);
    }

    [Fact]
    public async Task A_bank_payment_completes_unpaid_then_settles_or_fails()
    {
        await using var h = await Harness.StartAsync();
        var customer = await h.CustomerAsync();
        var settles = await h.Client.V1.Checkout.Sessions.CreateAsync(Options(customer.Id));
        var fails = await h.Client.V1.Checkout.Sessions.CreateAsync(Options(customer.Id));
        h.Fake.PayCheckoutSession(settles.Id, delayed: true);
        h.Fake.PayCheckoutSession(fails.Id, delayed: true);

        var unpaid = (Session)(await h.WebhookAsync("checkout.session.completed", e => ((Session)e.Data.Object).Id == settles.Id)).Data.Object;
        Assert.Equal("unpaid", unpaid.PaymentStatus);
        Assert.Equal("complete", unpaid.Status);

        h.Fake.SettleDelayedPayment(settles.Id, succeed: true);
        h.Fake.SettleDelayedPayment(fails.Id, succeed: false);
        var paid = (Session)(await h.WebhookAsync("checkout.session.async_payment_succeeded")).Data.Object;
        Assert.Equal("paid", paid.PaymentStatus);
        Assert.Equal("17", paid.Metadata["neruba_invoice"]);
        var failed = (Session)(await h.WebhookAsync("checkout.session.async_payment_failed")).Data.Object;
        Assert.Equal(fails.Id, failed.Id);
        Assert.Equal("INV-2026-0001", failed.ClientReferenceId);
        Assert.Equal("paid", (await h.Client.V1.Checkout.Sessions.GetAsync(settles.Id)).PaymentStatus);
    }
}
