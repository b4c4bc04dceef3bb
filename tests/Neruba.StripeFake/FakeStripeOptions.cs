using Neruba.StripeFake.Webhooks;

namespace Neruba.StripeFake;

/// <summary>Settings of the fake; every property except <see cref="TimeProvider"/> binds from configuration / command line.</summary>
public sealed class FakeStripeOptions
{
    /// <summary>The only API key accepted; null accepts any key starting <c>sk_test_</c>.</summary>
    public string? SecretKey { get; set; }

    /// <summary>A webhook target added at start (with <see cref="WebhookSecret"/>).</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>Signing secret for <see cref="WebhookUrl"/>; generated when empty.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>New customers get <c>invoice_settings.default_payment_method = pm_card_visa</c>.</summary>
    public bool AttachCardToNewCustomers { get; set; } = true;

    /// <summary>How long a <see cref="FakeFault.Timeout"/> holds a request (or until the client gives up).</summary>
    public TimeSpan TimeoutHold { get; set; } = TimeSpan.FromSeconds(30);

    public WebhookMode WebhookMode { get; set; } = WebhookMode.Immediate;

    /// <summary>Wait before each immediate delivery (demo: let the person see the page before the webhook lands).</summary>
    public TimeSpan WebhookDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Retries of a failed immediate delivery.</summary>
    public int WebhookRetries { get; set; } = 3;

    /// <summary>First retry wait; doubles each retry.</summary>
    public TimeSpan WebhookRetryBackoff { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Days from a charge until its balance transaction is available.</summary>
    public int AvailableAfterDays { get; set; } = 2;

    /// <summary>Base URL printed into checkout urls when it differs from the bound address (e.g. behind a proxy).</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>The clock for <c>created</c>, due dates and webhook signature timestamps.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}

/// <summary>Faults the next API calls answer with.</summary>
public enum FakeFault
{
    /// <summary>429 rate_limit.</summary>
    RateLimited,

    /// <summary>500 api_error.</summary>
    ServerError,

    /// <summary>Holds the request for <see cref="FakeStripeOptions.TimeoutHold"/>.</summary>
    Timeout,
}
