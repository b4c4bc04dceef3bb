extern alias fake;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Neruba.Console.Tests.Support;
using Neruba.Domain.Access;
using Neruba.Infrastructure.Payments;
using Neruba.Infrastructure.Payments.CreditPacks;
using Neruba.Infrastructure.Payments.Settings;
using Neruba.Infrastructure.Persistence;
using FakeStripeOptions = fake::Neruba.StripeFake.FakeStripeOptions;
using FakeStripeServer = fake::Neruba.StripeFake.FakeStripeServer;
using static Neruba.Console.Tests.Api.CustomersApiTests;

namespace Neruba.Console.Tests.Api;

/// <summary><c>POST /api/v1/customers/{id}/checkout-sessions</c> and <c>GET /api/v1/credit-packs</c>, against the fake Stripe where Stripe must answer.</summary>
public sealed class CheckoutApiTests
{
    private static async Task<Guid> ConfigureAsync(ConsoleAppFactory app, string? secretKey)
    {
        if (secretKey is not null)
        {
            var saved = await app.RunAsAdminAsync<SaveStripeSettings, SaveStripeSettings.Request, StripeSettingsView>(
                new(secretKey, "pk_test_api", "whsec_api_tests_secret", false, "1,3,7", null));
            Assert.True(saved.Succeeded, saved.Message);
        }

        var pack = await app.RunAsAdminAsync<CreateCreditPack, CreditPackInput, CreditPackView>(new CreditPackInput("Starter", "USD", "49.00", "55.00", 365, null));
        Assert.True(pack.Succeeded, pack.Message);
        return pack.Value!.Id;
    }

    [Fact]
    public async Task A_checkout_session_is_created_with_its_link_listed_and_replayed_under_the_same_idempotency_key()
    {
        await using var stripe = await FakeStripeServer.StartAsync(new FakeStripeOptions());
        using var app = new ConsoleAppFactory(settings: new Dictionary<string, string> { ["Neruba:Stripe:ApiBase"] = stripe.BaseUrl });
        var packId = await ConfigureAsync(app, stripe.SecretKey);
        using var writer = app.CreateApiClient(await app.CreateApiKeyAsync(null, ApiScopes.CreditsWrite));
        using var reader = app.CreateApiClient(await app.CreateApiKeyAsync(null, ApiScopes.CreditsRead));
        var body = $$"""{"packId":"{{packId}}","successUrl":"https://shop.example.test/thanks"}""";

        using var created = await SendJsonAsync(writer, HttpMethod.Post, "/api/v1/customers/cus_acme/checkout-sessions", body, "checkout-1");
        using var replayed = await SendJsonAsync(writer, HttpMethod.Post, "/api/v1/customers/cus_acme/checkout-sessions", body, "checkout-1");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var session = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("open", session.GetProperty("status").GetString());
        Assert.Equal("Starter", session.GetProperty("packName").GetString());
        Assert.Equal(4900, session.GetProperty("price").GetProperty("amountMinor").GetInt64());
        Assert.Equal("55.00", session.GetProperty("credit").GetProperty("amount").GetString());
        Assert.StartsWith("cs_", session.GetProperty("stripeSessionId").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(session.GetProperty("url").GetString()));
        Assert.Equal(HttpStatusCode.Created, replayed.StatusCode);
        Assert.Equal(await created.Content.ReadAsStringAsync(), await replayed.Content.ReadAsStringAsync());
        await using (var scope = app.Services.CreateAsyncScope())
        {
            Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<NerubaDbContext>().CheckoutSessions.CountAsync());
        }

        var listed = await reader.GetFromJsonAsync<JsonElement>("/api/v1/customers/cus_acme/checkout-sessions");
        Assert.Equal(session.GetProperty("id").GetGuid(), listed[0].GetProperty("id").GetGuid());
        var packs = await reader.GetFromJsonAsync<JsonElement>("/api/v1/credit-packs");
        Assert.True(packs.GetProperty("stripeConfigured").GetBoolean());
        Assert.Equal(600, packs.GetProperty("packs")[0].GetProperty("bonus").GetProperty("amountMinor").GetInt64());
    }

    [Fact]
    public async Task Without_stripe_a_key_without_credits_write_a_missing_pack_and_an_unknown_customer_get_problem_details()
    {
        using var app = new ConsoleAppFactory();
        var packId = await ConfigureAsync(app, secretKey: null);
        using var writer = app.CreateApiClient(await app.CreateApiKeyAsync(null, ApiScopes.CreditsWrite));
        using var reader = app.CreateApiClient(await app.CreateApiKeyAsync(null, ApiScopes.CreditsRead));
        var body = $$"""{"packId":"{{packId}}"}""";

        using var notConfigured = await PostJsonAsync(writer, "/api/v1/customers/cus_acme/checkout-sessions", body);
        using var readOnly = await PostJsonAsync(reader, "/api/v1/customers/cus_acme/checkout-sessions", body);
        using var noPack = await PostJsonAsync(writer, "/api/v1/customers/cus_acme/checkout-sessions", "{}");

        var problem = await AssertProblemAsync(notConfigured, HttpStatusCode.Conflict, null);
        Assert.Equal(StripeGateway.NotConfigured, problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, readOnly.StatusCode);
        await AssertProblemAsync(noPack, HttpStatusCode.BadRequest, "packId");
        var packs = await reader.GetFromJsonAsync<JsonElement>("/api/v1/credit-packs");
        Assert.False(packs.GetProperty("stripeConfigured").GetBoolean());
        await using var scope = app.Services.CreateAsyncScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<NerubaDbContext>().CheckoutSessions.AnyAsync());
    }
}
