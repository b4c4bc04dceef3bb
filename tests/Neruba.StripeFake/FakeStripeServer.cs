using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Neruba.StripeFake.Api;
using Neruba.StripeFake.Controls;
using Neruba.StripeFake.Webhooks;

namespace Neruba.StripeFake;

/// <summary>
/// A running fake Stripe: <see cref="BaseUrl"/> for Stripe.net's ApiBase and FilesBase, plus controls that play the
/// customer, the bank and Stripe's own decisions. <c>await using var fake = await FakeStripeServer.StartAsync(new FakeStripeOptions())</c>.
/// </summary>
public sealed partial class FakeStripeServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private FakeStripeServer(WebApplication app, FakeState state)
    {
        this.app = app;
        State = state;
    }

    public string BaseUrl => State.BaseUrl;

    public FakeStripeOptions Options => State.Options;

    public WebhookDispatcher Webhooks => State.Webhooks;

    /// <summary>A key the fake accepts (the configured one, or a test key).</summary>
    public string SecretKey => Options.SecretKey is { Length: > 0 } key ? key : "sk_test_neruba_fake";

    internal FakeState State { get; }

    /// <summary>Starts on 127.0.0.1 with a free port (or <paramref name="url"/>).</summary>
    public static Task<FakeStripeServer> StartAsync(FakeStripeOptions? options = null, string url = "http://127.0.0.1:0", CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls(url);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        return StartAsync(builder, options ?? new FakeStripeOptions(), cancellationToken);
    }

    /// <summary>Starts on a prepared builder (the standalone program binds urls and options from its command line).</summary>
    public static async Task<FakeStripeServer> StartAsync(WebApplicationBuilder builder, FakeStripeOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        var state = new FakeState(options);
        if (options.WebhookUrl is { Length: > 0 } webhookUrl)
        {
            options.WebhookSecret = options.WebhookSecret is { Length: > 0 } secret ? secret : StripeObjects.NewId("whsec_", 32);
            state.Webhooks.AddTarget(webhookUrl, options.WebhookSecret);
        }

        var app = builder.Build();
        var pipeline = new StripePipeline(state);
        app.Use(pipeline.InvokeAsync);
        Customers.Map(app, state);
        CheckoutSessions.Map(app, state);
        PaymentIntents.Map(app, state);
        BalanceTransactions.Map(app, state);
        Refunds.Map(app, state);
        Disputes.Map(app, state);
        Files.Map(app, state);
        Events.Map(app, state);
        var server = new FakeStripeServer(app, state);
        ControlEndpoints.Map(app, server);
        Dashboard.Map(app, server);
        app.MapFallback(ctx => ctx.Request.Path.StartsWithSegments("/v1", StringComparison.Ordinal)
            ? throw new StripeApiException(404, "invalid_request_error", $"Unrecognized request URL ({ctx.Request.Method}: {ctx.Request.Path}).", "resource_missing")
            : Results.NotFound().ExecuteAsync(ctx));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        state.BaseUrl = (options.PublicBaseUrl is { Length: > 0 } publicUrl ? publicUrl : bound).TrimEnd('/');
        return server;
    }

    public Task WaitForShutdownAsync() => app.WaitForShutdownAsync();

    public async ValueTask DisposeAsync()
    {
        await State.Webhooks.DisposeAsync().ConfigureAwait(false);
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The stored object as Stripe would return it (JSON), or null.</summary>
    public string? GetObjectJson(string id)
    {
        lock (State.Gate)
        {
            foreach (var type in new[] { "customer", "checkout.session", "payment_intent", "charge", "balance_transaction", "refund", "dispute", "file", "event" })
            {
                if (State.Find(id, type) is { } found)
                {
                    return found.ToJsonString();
                }
            }

            return null;
        }
    }

    /// <summary>Ids and types of every event so far, oldest first.</summary>
    public IReadOnlyList<(string Id, string Type)> EventLog()
    {
        lock (State.Gate)
        {
            return [.. State.All("event").AsEnumerable().Reverse().Select(e => (e["id"]!.GetValue<string>(), e["type"]!.GetValue<string>()))];
        }
    }

    internal JsonObject Locked(Func<FakeState, JsonObject> action)
    {
        lock (State.Gate)
        {
            return action(State).DeepClone().AsObject();
        }
    }
}
