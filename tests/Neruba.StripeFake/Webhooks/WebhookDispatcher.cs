using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Neruba.StripeFake.Webhooks;

/// <summary>Signs and POSTs events to the targets; immediate (one background worker, in order) or manual.</summary>
public sealed class WebhookDispatcher : IAsyncDisposable
{
    private readonly FakeState state;
    private readonly Lock gate = new();
    private readonly List<WebhookTarget> targets = [];
    private readonly List<WebhookDelivery> deliveries = [];
    private readonly List<(string Id, string Type, string Json)> pending = [];
    private readonly Channel<(string Id, string Type, string Json)> queue = Channel.CreateUnbounded<(string, string, string)>();
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly CancellationTokenSource stopping = new();
    private readonly Task worker;
    private int inFlight;

    internal WebhookDispatcher(FakeState state)
    {
        this.state = state;
        Mode = state.Options.WebhookMode;
        Delay = state.Options.WebhookDelay;
        worker = Task.Run(WorkAsync);
    }

    public WebhookMode Mode { get; set; }

    /// <summary>Wait before each immediate delivery.</summary>
    public TimeSpan Delay { get; set; }

    public IReadOnlyList<WebhookTarget> Targets
    {
        get
        {
            lock (gate)
            {
                return [.. targets];
            }
        }
    }

    /// <summary>Every attempt so far, oldest first.</summary>
    public IReadOnlyList<WebhookDelivery> Deliveries
    {
        get
        {
            lock (gate)
            {
                return [.. deliveries];
            }
        }
    }

    public int PendingCount
    {
        get
        {
            lock (gate)
            {
                return pending.Count;
            }
        }
    }

    public void AddTarget(string url, string secret)
    {
        lock (gate)
        {
            targets.Add(new WebhookTarget(url, secret));
        }
    }

    /// <summary>Sends every queued (manual-mode) event once per target, optionally newest first and/or twice.</summary>
    public async Task<IReadOnlyList<WebhookDelivery>> DeliverPendingAsync(bool reverse = false, bool duplicate = false, CancellationToken cancellationToken = default)
    {
        List<(string Id, string Type, string Json)> batch;
        lock (gate)
        {
            batch = [.. pending];
            pending.Clear();
        }

        if (reverse)
        {
            batch.Reverse();
        }

        var sent = new List<WebhookDelivery>();
        foreach (var evt in batch)
        {
            for (var copy = 0; copy < (duplicate ? 2 : 1); copy++)
            {
                sent.AddRange(await SendToAllAsync(evt, WebhookTampering.None, 1, cancellationToken).ConfigureAwait(false));
            }
        }

        return sent;
    }

    /// <summary>(Re)sends a stored event to every target, whatever the mode.</summary>
    public async Task<IReadOnlyList<WebhookDelivery>> SendAsync(string eventId, WebhookTampering tampering = WebhookTampering.None, CancellationToken cancellationToken = default)
    {
        string json;
        string type;
        lock (state.Gate)
        {
            var evt = state.Get(eventId, "event");
            json = evt.ToJsonString();
            type = evt["type"]!.GetValue<string>();
        }

        var sent = new List<WebhookDelivery>(await SendToAllAsync((eventId, type, json), tampering, 1, cancellationToken).ConfigureAwait(false));
        if (tampering == WebhookTampering.Duplicate)
        {
            sent.AddRange(await SendToAllAsync((eventId, type, json), tampering, 1, cancellationToken).ConfigureAwait(false));
        }

        return sent;
    }

    /// <summary>Waits until the immediate queue is empty and nothing is being sent.</summary>
    public async Task WaitForIdleAsync(TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (queue.Reader.Count > 0 || Volatile.Read(ref inFlight) > 0)
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException("Webhook deliveries did not finish in time");
            }

            await Task.Delay(20).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await worker.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }

        stopping.Dispose();
        http.Dispose();
    }

    /// <summary>Called under the state lock as an event is recorded: only queues, never sends.</summary>
    internal void Publish(JsonObject evt)
    {
        var item = (evt["id"]!.GetValue<string>(), evt["type"]!.GetValue<string>(), evt.ToJsonString());
        if (Mode == WebhookMode.Manual)
        {
            lock (gate)
            {
                pending.Add(item);
            }

            return;
        }

        Interlocked.Increment(ref inFlight);
        if (!queue.Writer.TryWrite(item))
        {
            Interlocked.Decrement(ref inFlight);
        }
    }

    internal static string SignatureHeader(string payload, string secret, long timestamp)
    {
        var t = timestamp.ToString(CultureInfo.InvariantCulture);
        return $"t={t},v1={Stripe.EventUtility.ComputeSignature(secret, t, payload)}";
    }

    private async Task WorkAsync()
    {
        await foreach (var evt in queue.Reader.ReadAllAsync(stopping.Token).ConfigureAwait(false))
        {
            try
            {
                if (Delay > TimeSpan.Zero)
                {
                    await Task.Delay(Delay, stopping.Token).ConfigureAwait(false);
                }

                await DeliverWithRetriesAsync(evt).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref inFlight);
            }
        }
    }

    private async Task DeliverWithRetriesAsync((string Id, string Type, string Json) evt)
    {
        foreach (var target in Targets)
        {
            var backoff = state.Options.WebhookRetryBackoff;
            for (var attempt = 1; ; attempt++)
            {
                var delivery = await SendOneAsync(evt, target, WebhookTampering.None, attempt, stopping.Token).ConfigureAwait(false);
                if (delivery.Succeeded || attempt > state.Options.WebhookRetries)
                {
                    break;
                }

                await Task.Delay(backoff, stopping.Token).ConfigureAwait(false);
                backoff *= 2;
            }
        }
    }

    private async Task<List<WebhookDelivery>> SendToAllAsync((string Id, string Type, string Json) evt, WebhookTampering tampering, int attempt, CancellationToken cancellationToken)
    {
        var sent = new List<WebhookDelivery>();
        foreach (var target in Targets)
        {
            sent.Add(await SendOneAsync(evt, target, tampering, attempt, cancellationToken).ConfigureAwait(false));
        }

        return sent;
    }

    private async Task<WebhookDelivery> SendOneAsync((string Id, string Type, string Json) evt, WebhookTarget target, WebhookTampering tampering, int attempt, CancellationToken cancellationToken)
    {
        // The signature's timestamp is the time of sending: receivers check it against their real clock (Stripe.net's ConstructEvent), whatever
        // day the fake's objects are dated (its TimeProvider may follow a test's shifted clock).
        var now = DateTimeOffset.UtcNow;
        var timestamp = tampering == WebhookTampering.StaleTimestamp ? now.AddHours(-1) : now;
        var secret = tampering == WebhookTampering.BadSignature ? target.Secret + "_tampered" : target.Secret;
        using var request = new HttpRequestMessage(HttpMethod.Post, target.Url)
        {
            Content = new StringContent(evt.Json, Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Stripe-Signature", SignatureHeader(evt.Json, secret, timestamp.ToUnixTimeSeconds()));
        request.Headers.TryAddWithoutValidation("User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)");
        int? status = null;
        string? error = null;
        try
        {
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            status = (int)response.StatusCode;
        }
        catch (HttpRequestException e)
        {
            error = e.Message;
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            error = e.Message;
        }

        var delivery = new WebhookDelivery(evt.Id, evt.Type, target.Url, status, now, attempt, tampering, error);
        lock (gate)
        {
            deliveries.Add(delivery);
        }

        return delivery;
    }
}
