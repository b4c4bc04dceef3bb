using System.Net;
using Microsoft.EntityFrameworkCore;
using Neruba.Infrastructure.Persistence;
using Stripe;

namespace Neruba.Infrastructure.Payments;

/// <summary>A project's Stripe client with the account settings it was made from.</summary>
public sealed record StripeConnection(StripeAccountRecord Account, StripeClient Client);

/// <summary>
/// Builds the Stripe.net client for a project from its encrypted keys and the configured API base, and turns Stripe's failures into
/// words an operator can act on. Every Stripe call in Neruba goes through a client made here.
/// </summary>
public sealed class StripeGateway(StripeOptions options, StripeSecrets secrets) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds) };

    public StripeOptions Options => options;

    public void Dispose() => _http.Dispose();

    /// <summary>The project's client, or null when an Admin has not configured Stripe (every payment feature then says so).</summary>
    public async Task<StripeConnection?> ConnectAsync(NerubaDbContext db, Guid projectId, CancellationToken cancellationToken)
    {
        var account = await db.StripeAccounts.AsNoTracking().SingleOrDefaultAsync(a => a.ProjectId == projectId, cancellationToken);
        return account is { IsConfigured: true } ? new StripeConnection(account, ClientFor(secrets.Unprotect(account.SecretKeyProtected))) : null;
    }

    public StripeClient ClientFor(string secretKey)
    {
        var apiBase = string.IsNullOrWhiteSpace(options.ApiBase) ? null : options.ApiBase.TrimEnd('/');
        var filesBase = string.IsNullOrWhiteSpace(options.FilesBase) ? apiBase : options.FilesBase.TrimEnd('/');
        return new StripeClient(new StripeClientOptions
        {
            ApiKey = secretKey,
            ApiBase = apiBase,
            FilesBase = filesBase,
            HttpClient = new SystemNetHttpClient(_http, options.MaxNetworkRetries, appInfo: null, enableTelemetry: false),
        });
    }

    public string WebhookSecret(StripeAccountRecord account) => secrets.Unprotect(account.WebhookSecretProtected);

    public const string NotConfigured = "Stripe is not configured for this project: an Admin adds the keys under Settings → Payments.";

    /// <summary>A failed Stripe call in words: what happened and what happens next.</summary>
    public static string Describe(Exception exception) => exception switch
    {
        StripeException { StripeError.Type: "card_error" } card =>
            $"The card was declined{(card.StripeError.DeclineCode is { Length: > 0 } code ? $" ({code.Replace('_', ' ')})" : "")}: {card.StripeError.Message}",
        StripeException { HttpStatusCode: (HttpStatusCode)429 } =>
            "Stripe is limiting requests (rate limited). Nothing was charged; try again in a minute.",
        StripeException { HttpStatusCode: HttpStatusCode.Unauthorized } =>
            "Stripe refused the secret key (authentication failed). An Admin checks it under Settings → Payments.",
        StripeException { StripeError.Type: "idempotency_error" } =>
            "Stripe saw this request before with different details (idempotency conflict); nothing new was done.",
        StripeException stripe when (int)stripe.HttpStatusCode >= 500 =>
            "Stripe had an internal error and did nothing; try again shortly.",
        StripeException stripe => $"Stripe refused the request: {stripe.StripeError?.Message ?? stripe.Message}",
        TaskCanceledException or TimeoutException =>
            "Stripe did not answer in time (network timeout). Trying again is safe: the same idempotency key never charges twice.",
        HttpRequestException =>
            "Stripe could not be reached (network error). Trying again is safe: the same idempotency key never charges twice.",
        _ => exception.Message,
    };

    /// <summary>Worth trying again later on its own (network, rate limit, Stripe's own errors); a decline or a refusal is not.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        // 409: the same idempotency key is still in flight (a sweep met a slow first try); the retry gets the first one's answer.
        StripeException stripe => (int)stripe.HttpStatusCode is 409 or 429 or >= 500 || stripe.HttpStatusCode == 0,
        TaskCanceledException or TimeoutException or HttpRequestException => true,
        _ => false,
    };
}
