extern alias fake;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Neruba.Console.Tests.Support;
using Neruba.Domain.Access;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Payments;
using Neruba.Infrastructure.Payments.CreditPacks;
using Neruba.Infrastructure.Payments.Settings;
using Neruba.Infrastructure.Persistence;
using FakeStripeOptions = fake::Neruba.StripeFake.FakeStripeOptions;
using FakeStripeServer = fake::Neruba.StripeFake.FakeStripeServer;
using WebhookTampering = fake::Neruba.StripeFake.Webhooks.WebhookTampering;

namespace Neruba.Console.Tests.Payments;

/// <summary>
/// <c>POST /webhooks/stripe/{project}</c> over real HTTP, with the fake Stripe delivering signed events to the running console and its own
/// job server processing them: a credit pack bought through Checkout is posted once, however often and however badly the event is sent.
/// </summary>
public sealed class StripeWebhookEndpointTests
{
    private const string WebhookSecret = "whsec_console_endpoint_tests";

    [Fact]
    public async Task A_paid_checkout_posts_one_purchase_block_whatever_is_resent_and_a_forged_delivery_is_refused()
    {
        await using var stripe = await FakeStripeServer.StartAsync(new FakeStripeOptions());
        using var app = new ConsoleAppFactory(settings: new Dictionary<string, string> { ["Neruba:Stripe:ApiBase"] = stripe.BaseUrl });
        var saved = await app.RunAsAdminAsync<SaveStripeSettings, SaveStripeSettings.Request, StripeSettingsView>(
            new(stripe.SecretKey, "pk_test_endpoint", WebhookSecret, false, "1,3,7", null));
        Assert.True(saved.Succeeded, saved.Message);
        var pack = await app.RunAsAdminAsync<CreateCreditPack, CreditPackInput, CreditPackView>(new CreditPackInput("Starter", "USD", "49.00", "55.00", null, null));
        stripe.AddWebhookTarget(new Uri(app.ServerAddress, saved.Value!.WebhookPath).ToString(), WebhookSecret);
        using var api = app.CreateApiClient(await app.CreateApiKeyAsync(null, ApiScopes.CreditsWrite));
        using var created = await api.PostAsJsonAsync("/api/v1/customers/cus_acme/checkout-sessions", new { packId = pack.Value!.Id });
        var sessionId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("stripeSessionId").GetString()!;

        // No return pages given: Stripe sends the buyer back to the console's own.
        Assert.Contains($"\"success_url\":\"{app.ServerAddress.ToString().TrimEnd('/')}/checkout/completed\"", stripe.GetObjectJson(sessionId), StringComparison.Ordinal);
        stripe.PayCheckoutSession(sessionId);
        await stripe.Webhooks.WaitForIdleAsync(TimeSpan.FromSeconds(30));
        var completed = stripe.EventLog().Single(e => e.Type == "checkout.session.completed").Id;
        var resent = await stripe.Webhooks.SendAsync(completed, WebhookTampering.Duplicate);
        var forged = await stripe.Webhooks.SendAsync(completed, WebhookTampering.BadSignature);
        var stale = await stripe.Webhooks.SendAsync(completed, WebhookTampering.StaleTimestamp);

        Assert.All(resent, d => Assert.Equal(200, d.StatusCode));
        Assert.All(forged.Concat(stale), d => Assert.Equal(400, d.StatusCode));
        await WaitUntilAsync(app, async db => await db.StripeEvents.AnyAsync(e => e.StripeEventId == completed && e.Status == StripeEventStatus.Processed));
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NerubaDbContext>();
        var block = Assert.Single(await db.CreditBlocks.Where(b => b.Source == CreditSource.Purchase).ToListAsync());
        Assert.Equal(5500, block.Amount);
        var stored = await db.StripeEvents.SingleAsync(e => e.StripeEventId == completed);
        Assert.Equal(3, stored.Deliveries);
        Assert.Equal(CheckoutStatus.Paid, (await db.CheckoutSessions.SingleAsync()).Status);
    }

    [Fact]
    public async Task Deliveries_for_an_unknown_project_or_one_without_Stripe_get_the_same_404()
    {
        using var app = new ConsoleAppFactory();
        using var client = app.CreateBrowserClient();
        using var unknown = await client.PostAsync("/webhooks/stripe/no-such-project", new StringContent("{}"));
        using var unconfigured = await client.PostAsync("/webhooks/stripe/demo", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unconfigured.StatusCode);
        // The same answer for both: strangers learn neither which projects exist nor which have Stripe.
        var first = await unknown.Content.ReadFromJsonAsync<JsonElement>();
        var second = await unconfigured.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(first.GetProperty("title").GetString(), second.GetProperty("title").GetString());
        Assert.False(first.TryGetProperty("detail", out _));
        Assert.False(second.TryGetProperty("detail", out _));
        Assert.Equal("application/problem+json", unconfigured.Content.Headers.ContentType?.MediaType);
    }

    private static async Task WaitUntilAsync(ConsoleAppFactory app, Func<NerubaDbContext, Task<bool>> condition)
    {
        for (var i = 0; i < 300; i++)
        {
            await using var scope = app.Services.CreateAsyncScope();
            if (await condition(scope.ServiceProvider.GetRequiredService<NerubaDbContext>()))
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail("The console did not process the webhook within 30 s.");
    }
}
