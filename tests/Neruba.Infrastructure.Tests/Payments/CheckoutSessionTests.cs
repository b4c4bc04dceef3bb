using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Neruba.Domain.Access;
using Neruba.Infrastructure.Payments;
using Neruba.Infrastructure.Payments.Checkout;
using Neruba.Infrastructure.Payments.CreditPacks;
using Neruba.Infrastructure.Payments.Settings;
using Neruba.Infrastructure.Persistence;
using Neruba.Infrastructure.UseCases;
using Neruba.StripeFake;

namespace Neruba.Infrastructure.Tests.Payments;

public class CheckoutSessionTests
{
    private static Task<UseCaseResult<CheckoutSessionView>> CheckoutAsync(PaymentsScenario s, string? customer, Guid? pack, Actor? actor = null) =>
        s.Harness.RunAsync<CreateCheckoutSession, CreateCheckoutSession.Request, CheckoutSessionView>(actor ?? s.Harness.Admin,
            new(customer, pack, "https://shop.example.test/thanks", "https://shop.example.test/cancel"));

    [Fact]
    public async Task Without_stripe_keys_a_checkout_link_is_refused_in_words_and_nothing_is_stored()
    {
        await using var s = await PaymentsScenario.StartAsync();
        await s.CustomerAsync();
        var pack = await s.PackAsync();

        var result = await CheckoutAsync(s, "cus_buyer", pack.Id);

        Assert.Equal(UseCaseStatus.Conflict, result.Status);
        Assert.Equal(StripeGateway.NotConfigured, result.Message);
        Assert.False(await s.Harness.QueryAsync(db => db.CheckoutSessions.AnyAsync()));
    }

    [Fact]
    public async Task A_viewer_cannot_create_a_checkout_link_nor_a_key_without_credits_write()
    {
        await using var s = await PaymentsScenario.StartAsync();
        await s.CustomerAsync();
        var pack = await s.PackAsync();
        var viewer = await s.Harness.AddPersonAsync("viewer@example.test", ProjectRole.Viewer);
        var key = Actor.Key(Guid.NewGuid(), "reader", s.Harness.ProjectId, [ApiScopes.CreditsRead]);

        Assert.Equal(UseCaseStatus.Forbidden, (await CheckoutAsync(s, "cus_buyer", pack.Id, viewer)).Status);
        Assert.Equal(UseCaseStatus.Forbidden, (await CheckoutAsync(s, "cus_buyer", pack.Id, key)).Status);
    }

    [Fact]
    public async Task Test_connection_succeeds_with_the_fakes_key_and_fails_in_words_with_a_wrong_one()
    {
        await using var s = await PaymentsScenario.StartAsync(withFake: true);
        await s.ConfigureAsync();

        var stored = await s.Harness.ValueAsync<TestStripeConnection, TestStripeConnection.Request, StripeTestResult>(new(null));
        var typed = await s.Harness.ValueAsync<TestStripeConnection, TestStripeConnection.Request, StripeTestResult>(new("sk_test_wrong_key_0000"));
        var settings = await s.Harness.ValueAsync<GetStripeSettings, GetStripeSettings.Request, StripeSettingsView>(new());

        Assert.True(stored.Succeeded, stored.Message);
        Assert.True(stored.Recorded);
        Assert.Contains("test mode", stored.Message, StringComparison.Ordinal);
        Assert.False(typed.Succeeded);
        Assert.False(typed.Recorded);
        Assert.Contains("authentication failed", typed.Message, StringComparison.Ordinal);
        Assert.True(settings.LastTestSucceeded);
        Assert.Equal(stored.Message, settings.LastTestMessage);
    }

    [Fact]
    public async Task Racing_requests_create_one_stripe_customer_with_the_customers_idempotency_key()
    {
        await using var s = await PaymentsScenario.StartAsync(withFake: true);
        await s.ConfigureAsync();
        var customer = await s.CustomerAsync();

        var ids = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            await using var scope = s.Harness.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<NerubaDbContext>();
            var connection = (await scope.ServiceProvider.GetRequiredService<StripeGateway>().ConnectAsync(db, s.Harness.ProjectId, CancellationToken.None))!;
            var record = await db.Customers.SingleAsync(c => c.Id == customer.Id);
            return await StripeCustomerLinks.EnsureAsync(db, connection, record, CancellationToken.None);
        }));

        Assert.Single(ids.Distinct(StringComparer.Ordinal));
        Assert.Equal(1, await s.Harness.QueryAsync(db => db.StripeCustomers.CountAsync()));
        var created = s.Fake!.EventLog().Where(e => e.Type == "customer.created").ToList();
        Assert.Single(created);
        var stripeCustomer = JsonNode.Parse(s.Fake.GetObjectJson(ids[0])!)!;
        Assert.Equal(customer.Id.ToString(), (string?)stripeCustomer["metadata"]!["neruba_customer"]);
        Assert.Equal(customer.Email, (string?)stripeCustomer["email"]);
    }

    [Fact]
    public async Task A_checkout_link_carries_the_pack_terms_and_neruba_metadata_and_credits_nothing_yet()
    {
        await using var s = await PaymentsScenario.StartAsync(withFake: true);
        await s.ConfigureAsync();
        var customer = await s.CustomerAsync();
        var pack = await s.PackAsync("Starter", "USD", "49.00", "55.00");

        var view = (await CheckoutAsync(s, "cus_buyer", pack.Id)).Value!;

        Assert.Equal(CheckoutStatus.Open, view.Status);
        Assert.StartsWith("cs_", view.StripeSessionId, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(view.Url));
        Assert.Equal(5500, view.Credit.Minor);
        var session = JsonNode.Parse(s.Fake!.GetObjectJson(view.StripeSessionId)!)!;
        Assert.Equal("payment", (string?)session["mode"]);
        Assert.Equal(4900, (long?)session["amount_total"]);
        Assert.Equal("usd", (string?)session["currency"]);
        Assert.Equal(view.Id.ToString(), (string?)session["client_reference_id"]);
        Assert.Equal(view.Id.ToString(), (string?)session["metadata"]!["neruba_checkout"]);
        Assert.Equal(customer.Id.ToString(), (string?)session["metadata"]!["neruba_customer"]);
        Assert.Equal(pack.Id.ToString(), (string?)session["metadata"]!["neruba_pack"]);
        Assert.Equal(s.Harness.ProjectId.ToString(), (string?)session["metadata"]!["neruba_project"]);
        Assert.Equal(await s.Harness.QueryAsync(db => db.StripeCustomers.Select(c => c.StripeCustomerId).SingleAsync()), (string?)session["customer"]);
        Assert.False(await s.Harness.QueryAsync(db => db.CreditBlocks.AnyAsync()));
        var listed = await s.Harness.ValueAsync<ListCheckoutSessions, ListCheckoutSessions.Request, IReadOnlyList<CheckoutSessionView>>(new("cus_buyer"));
        Assert.Equal(view.Id, Assert.Single(listed).Id);
    }

    [Fact]
    public async Task Archived_packs_unknown_customers_and_packs_in_another_currency_are_refused()
    {
        await using var s = await PaymentsScenario.StartAsync(withFake: true);
        await s.ConfigureAsync();
        await s.CustomerAsync();
        var euro = await s.PackAsync("Euro", "EUR");
        var archived = await s.PackAsync("Old");
        await s.Harness.ValueAsync<ArchiveCreditPack, ArchiveCreditPack.Request, CreditPackView>(new(archived.Id));

        var wrongCurrency = await CheckoutAsync(s, "cus_buyer", euro.Id);
        var gone = await CheckoutAsync(s, "cus_buyer", archived.Id);
        var nobody = await CheckoutAsync(s, "cus_nobody", euro.Id);
        var noPack = await CheckoutAsync(s, "cus_buyer", Guid.NewGuid());

        Assert.Equal(UseCaseStatus.Conflict, wrongCurrency.Status);
        Assert.Contains("billed in USD", wrongCurrency.Message, StringComparison.Ordinal);
        Assert.Equal(UseCaseStatus.Conflict, gone.Status);
        Assert.Contains("archived", gone.Message, StringComparison.Ordinal);
        Assert.Equal(UseCaseStatus.NotFound, nobody.Status);
        Assert.Equal(UseCaseStatus.NotFound, noPack.Status);
        Assert.False(await s.Harness.QueryAsync(db => db.CheckoutSessions.AnyAsync()));
    }

    [Fact]
    public async Task A_stripe_refusal_comes_back_in_words_and_stores_nothing()
    {
        await using var s = await PaymentsScenario.StartAsync(withFake: true);
        await s.ConfigureAsync("sk_test_not_the_fakes_key_1");
        await s.CustomerAsync();
        var pack = await s.PackAsync();

        var result = await CheckoutAsync(s, "cus_buyer", pack.Id);

        Assert.Equal(UseCaseStatus.Conflict, result.Status);
        Assert.Contains("authentication failed", result.Message, StringComparison.Ordinal);
        Assert.False(await s.Harness.QueryAsync(db => db.CheckoutSessions.AnyAsync()));
        Assert.False(await s.Harness.QueryAsync(db => db.StripeCustomers.AnyAsync()));
    }

    [Fact]
    public async Task A_rate_limited_checkout_says_so_stores_nothing_and_the_next_try_succeeds()
    {
        await using var s = await PaymentsScenario.StartAsync(withFake: true);
        await s.ConfigureAsync();
        await s.CustomerAsync();
        var pack = await s.PackAsync();
        s.Fake!.FailNext(FakeFault.RateLimited);

        var limited = await CheckoutAsync(s, "cus_buyer", pack.Id);
        var stored = await s.Harness.QueryAsync(db => db.CheckoutSessions.CountAsync());
        var retried = await CheckoutAsync(s, "cus_buyer", pack.Id);

        Assert.Equal(UseCaseStatus.Conflict, limited.Status);
        Assert.Contains("rate limited", limited.Message, StringComparison.Ordinal);
        Assert.Equal(0, stored);
        Assert.True(retried.Succeeded, retried.Message);
        Assert.Equal(1, await s.Harness.QueryAsync(db => db.StripeCustomers.CountAsync()));
    }

    [Fact]
    public async Task Testing_without_any_key_says_there_is_nothing_to_test()
    {
        await using var s = await PaymentsScenario.StartAsync();

        var result = await s.Harness.RunAsync<TestStripeConnection, TestStripeConnection.Request, StripeTestResult>(s.Harness.Admin, new(null));

        Assert.Equal(UseCaseStatus.Conflict, result.Status);
        Assert.Contains("no secret key", result.Message, StringComparison.Ordinal);
    }
}
