using Microsoft.Extensions.Configuration;
using Neruba.Infrastructure.Configuration;

namespace Neruba.Infrastructure.Payments;

/// <summary>The <c>Neruba:Stripe</c> section: where Stripe.net sends its requests and how patiently. Keys are per project (Settings → Payments).</summary>
public sealed class StripeOptions
{
    public const string SectionName = "Neruba:Stripe";

    /// <summary>Stripe's API base; tests and demos point it at the local fake (e.g. <c>http://127.0.0.1:12111</c>). Empty: Stripe itself.</summary>
    public string? ApiBase { get; set; }

    /// <summary>Where file uploads go; defaults to <see cref="ApiBase"/> when that is set (the fake serves both), else Stripe's files host.</summary>
    public string? FilesBase { get; set; }

    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>Stripe.net's own retries of a request that failed on the network or was rate limited (with the same idempotency key).</summary>
    public int MaxNetworkRetries { get; set; } = 2;

    /// <summary>How old a webhook's signed timestamp may be before it is refused as a replay.</summary>
    public int WebhookToleranceSeconds { get; set; } = 300;

    public static StripeOptions Load(IConfiguration configuration)
    {
        var options = configuration.GetSection(SectionName).Get<StripeOptions>() ?? new StripeOptions();
        if (!string.IsNullOrWhiteSpace(options.ApiBase) && !Uri.TryCreate(options.ApiBase, UriKind.Absolute, out _))
        {
            throw new NerubaConfigurationException($"{SectionName}:ApiBase is '{options.ApiBase}', but it must be an absolute URL such as http://127.0.0.1:12111.");
        }

        if (options.TimeoutSeconds is < 1 or > 300 || options.MaxNetworkRetries is < 0 or > 5 || options.WebhookToleranceSeconds is < 1 or > 3600)
        {
            throw new NerubaConfigurationException(
                $"{SectionName}: TimeoutSeconds must be 1–300, MaxNetworkRetries 0–5 and WebhookToleranceSeconds 1–3600.");
        }

        return options;
    }
}
