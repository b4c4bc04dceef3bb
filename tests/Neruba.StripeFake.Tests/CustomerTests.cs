using System.Net;
using Stripe;

namespace Neruba.StripeFake.Tests;

public sealed class CustomerTests
{
    [Fact]
    public async Task The_same_idempotency_key_returns_the_first_customer_and_creates_no_second()
    {
        await using var h = await Harness.StartAsync();
        var options = new CustomerCreateOptions { Email = "ada@example.com", Metadata = new Dictionary<string, string> { ["neruba_customer"] = "42" } };
        var first = await h.Client.V1.Customers.CreateAsync(options, new RequestOptions { IdempotencyKey = "customer-42" });
        var again = await h.Client.V1.Customers.CreateAsync(options, new RequestOptions { IdempotencyKey = "customer-42" });

        Assert.Equal(first.Id, again.Id);
        Assert.StartsWith("cus_", first.Id, StringComparison.Ordinal);
        Assert.Equal("42", again.Metadata["neruba_customer"]);
        Assert.Single(h.Fake.EventLog(), e => e.Type == "customer.created");
        Assert.Equal("pm_card_visa", (await h.Client.V1.Customers.GetAsync(first.Id)).InvoiceSettings.DefaultPaymentMethodId);

        var changed = await Assert.ThrowsAsync<StripeException>(() => h.Client.V1.Customers.CreateAsync(
            new CustomerCreateOptions { Email = "other@example.com" }, new RequestOptions { IdempotencyKey = "customer-42" }));
        Assert.Equal(HttpStatusCode.BadRequest, changed.HttpStatusCode);
        Assert.Equal("idempotency_error", changed.StripeError.Type);
    }

    [Fact]
    public async Task Keys_errors_and_cards_behave_like_Stripe()
    {
        await using var h = await Harness.StartAsync(new FakeStripeOptions { AttachCardToNewCustomers = false });
        var customer = await h.CustomerAsync();
        Assert.Null(customer.InvoiceSettings.DefaultPaymentMethodId);
        h.Fake.SetDefaultPaymentMethod(customer.Id, "pm_card_mastercard");
        Assert.Equal("pm_card_mastercard", (await h.Client.V1.Customers.GetAsync(customer.Id)).InvoiceSettings.DefaultPaymentMethodId);

        var missing = await Assert.ThrowsAsync<StripeException>(() => h.Client.V1.Customers.GetAsync("cus_nope"));
        Assert.Equal(HttpStatusCode.NotFound, missing.HttpStatusCode);
        Assert.Equal("resource_missing", missing.StripeError.Code);

        using var http = new HttpClient();
        var live = new StripeClient(new StripeClientOptions { ApiKey = "sk_live_oops", ApiBase = h.Fake.BaseUrl, HttpClient = new SystemNetHttpClient(http, 0) });
        var unauthorized = await Assert.ThrowsAsync<StripeException>(() => live.V1.Balance.GetAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.HttpStatusCode);
        Assert.StartsWith("Invalid API Key provided", unauthorized.StripeError.Message, StringComparison.Ordinal);

        Assert.Equal("acct_1NerubaFakeStripe0", (await h.Client.V1.Accounts.GetSelfAsync()).Id);
        Assert.NotNull((await h.Client.V1.Balance.GetAsync()).Available);
    }
}
