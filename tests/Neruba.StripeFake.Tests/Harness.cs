using Neruba.StripeFake;
using Stripe;

namespace Neruba.StripeFake.Tests;

/// <summary>A fake Stripe, a webhook receiver registered with it, and a Stripe.net client pointed at it.</summary>
internal sealed class Harness : IAsyncDisposable
{
    public const string WebhookSecret = "whsec_test_neruba_fake_secret";

    private readonly HttpClient http;

    private Harness(FakeStripeServer fake, WebhookReceiver receiver, TimeSpan timeout)
    {
        Fake = fake;
        Receiver = receiver;
        http = new HttpClient { Timeout = timeout };
        Client = new StripeClient(new StripeClientOptions
        {
            ApiKey = "sk_test_neruba",
            ApiBase = fake.BaseUrl,
            FilesBase = fake.BaseUrl,
            HttpClient = new SystemNetHttpClient(http, maxNetworkRetries: 0),
        });
    }

    public FakeStripeServer Fake { get; }

    public WebhookReceiver Receiver { get; }

    public StripeClient Client { get; }

    public static async Task<Harness> StartAsync(FakeStripeOptions? options = null, TimeSpan? clientTimeout = null)
    {
        var receiver = await WebhookReceiver.StartAsync();
        var fake = await FakeStripeServer.StartAsync(options ?? new FakeStripeOptions());
        fake.AddWebhookTarget(receiver.Url, WebhookSecret);
        return new Harness(fake, receiver, clientTimeout ?? TimeSpan.FromSeconds(10));
    }

    /// <summary>Waits for a webhook of <paramref name="type"/> and verifies it as Neruba would.</summary>
    public async Task<Event> WebhookAsync(string type, Func<Event, bool>? match = null)
    {
        var received = await Receiver.WaitForAsync(r => r.Type == type && (match is null || match(EventUtility.ConstructEvent(r.Json, r.Signature, WebhookSecret))));
        return EventUtility.ConstructEvent(received.Json, received.Signature, WebhookSecret);
    }

    public async Task<Customer> CustomerAsync() =>
        await Client.V1.Customers.CreateAsync(new CustomerCreateOptions { Email = "ada@example.com", Name = "Ada" });

    public async Task<PaymentIntent> PaidIntentAsync(long amount = 10_000, string? customer = null) =>
        await Client.V1.PaymentIntents.CreateAsync(new PaymentIntentCreateOptions
        {
            Amount = amount,
            Currency = "eur",
            Customer = customer,
            PaymentMethod = "pm_card_visa",
            Confirm = true,
            OffSession = true,
            Metadata = new Dictionary<string, string> { ["neruba_invoice"] = "INV-1" },
        });

    public async ValueTask DisposeAsync()
    {
        await Fake.DisposeAsync();
        await Receiver.DisposeAsync();
        http.Dispose();
    }
}

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}
