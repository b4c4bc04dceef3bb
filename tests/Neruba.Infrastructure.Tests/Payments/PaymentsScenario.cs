using Neruba.Infrastructure.Customers;
using Neruba.Infrastructure.Payments.CreditPacks;
using Neruba.Infrastructure.Payments.Settings;
using Neruba.Infrastructure.Persistence;
using Neruba.Infrastructure.Tests.Support;
using Neruba.Infrastructure.UseCases;
using Neruba.StripeFake;

namespace Neruba.Infrastructure.Tests.Payments;

/// <summary>A harness whose Stripe client talks to an in-process fake Stripe (or to nothing, when Stripe is not needed).</summary>
internal sealed class PaymentsScenario : IAsyncDisposable
{
    public const string WebhookSecret = "whsec_neruba_test_secret_123456";

    private PaymentsScenario(UseCaseHarness harness, FakeStripeServer? fake)
    {
        Harness = harness;
        Fake = fake;
    }

    public UseCaseHarness Harness { get; }

    public FakeStripeServer? Fake { get; }

    public static async Task<PaymentsScenario> StartAsync(bool withFake = false)
    {
        var fake = withFake ? await FakeStripeServer.StartAsync(new FakeStripeOptions { SecretKey = "sk_test_neruba_fake_key_4242" }) : null;
        var settings = new Dictionary<string, string?>
        {
            ["Neruba:Stripe:ApiBase"] = fake?.BaseUrl ?? "http://127.0.0.1:9",
            ["Neruba:Stripe:MaxNetworkRetries"] = "0",
            ["Neruba:Stripe:TimeoutSeconds"] = "10",
        };
        return new PaymentsScenario(await UseCaseHarness.StartAsync(settings), fake);
    }

    public Task<StripeSettingsView> ConfigureAsync(string? secretKey = null) =>
        Harness.ValueAsync<SaveStripeSettings, SaveStripeSettings.Request, StripeSettingsView>(
            new(secretKey ?? Fake?.SecretKey ?? "sk_test_neruba_offline_4242", "pk_test_neruba_public_1", WebhookSecret, false, "1,3,7", null));

    public Task<CustomerView> CustomerAsync(string externalId = "cus_buyer", string currency = "USD") =>
        Harness.ValueAsync<CreateCustomer, CreateCustomer.Request, CustomerView>(
            new(externalId, new CustomerInput($"Customer {externalId}", $"{externalId.Replace('_', '.')}@example.test", currency, "UTC", null)));

    public Task<CreditPackView> PackAsync(string name = "Starter", string currency = "USD", string price = "49.00", string credit = "55.00") =>
        Harness.ValueAsync<CreateCreditPack, CreditPackInput, CreditPackView>(new CreditPackInput(name, currency, price, credit, 365, null));

    /// <summary>The request was refused for <paramref name="field"/> and nothing of <paramref name="stored"/> landed.</summary>
    public async Task AssertRefusedAsync<T>(UseCaseResult<T> result, string field, Func<NerubaDbContext, Task<bool>> stored)
    {
        Assert.Equal(UseCaseStatus.Invalid, result.Status);
        Assert.True(result.Errors.ContainsKey(field), result.Message);
        Assert.False(await Harness.QueryAsync(stored));
    }

    public async ValueTask DisposeAsync()
    {
        await Harness.DisposeAsync();
        if (Fake is not null)
        {
            await Fake.DisposeAsync();
        }
    }
}
