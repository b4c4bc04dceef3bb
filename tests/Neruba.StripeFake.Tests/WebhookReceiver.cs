using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Neruba.StripeFake.Tests;

/// <summary>A second tiny Kestrel app standing in for Neruba's webhook endpoint.</summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly List<Received> received = [];
    private int failNext;

    private WebhookReceiver(WebApplication app) => this.app = app;

    public sealed record Received(string Id, string Type, string Json, string Signature);

    public string Url { get; private set; } = string.Empty;

    public IReadOnlyList<Received> All
    {
        get
        {
            lock (received)
            {
                return [.. received];
            }
        }
    }

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var receiver = new WebhookReceiver(builder.Build());
        receiver.app.MapPost("/hook", (Delegate)receiver.HandleAsync);
        await receiver.app.StartAsync();
        var address = receiver.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = address + "/hook";
        return receiver;
    }

    /// <summary>The next <paramref name="count"/> deliveries get a 500.</summary>
    public void FailNext(int count) => Interlocked.Exchange(ref failNext, count);

    public async Task<Received> WaitForAsync(Func<Received, bool> match, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (DateTime.UtcNow < until)
        {
            var found = All.FirstOrDefault(match);
            if (found is not null)
            {
                return found;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException("No matching webhook arrived; got: " + string.Join(", ", All.Select(r => r.Type)));
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task<IResult> HandleAsync(HttpContext ctx)
    {
        using var reader = new StreamReader(ctx.Request.Body);
        var json = await reader.ReadToEndAsync();
        if (Interlocked.Decrement(ref failNext) >= 0)
        {
            return Results.StatusCode(500);
        }

        var evt = JsonNode.Parse(json)!;
        lock (received)
        {
            received.Add(new Received(evt["id"]!.GetValue<string>(), evt["type"]!.GetValue<string>(), json, ctx.Request.Headers["Stripe-Signature"].ToString()));
        }

        return Results.Ok();
    }
}
