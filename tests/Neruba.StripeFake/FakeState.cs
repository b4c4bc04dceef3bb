using System.Text.Json.Nodes;
using Neruba.StripeFake.Webhooks;

namespace Neruba.StripeFake;

/// <summary>Who asked: copied into each event's <c>request</c>.</summary>
public readonly record struct RequestInfo(string? Id, string? IdempotencyKey)
{
    public static RequestInfo None => default;
}

/// <summary>Everything the fake remembers. One lock (<see cref="Gate"/>) guards all of it.</summary>
public sealed class FakeState
{
    private readonly Dictionary<string, JsonObject> byId = new(StringComparer.Ordinal);
    private readonly List<JsonObject> order = [];
    private readonly Queue<FakeFault> faults = new();

    internal FakeState(FakeStripeOptions options)
    {
        Options = options;
        Webhooks = new WebhookDispatcher(this);
    }

    internal Lock Gate { get; } = new();

    public FakeStripeOptions Options { get; }

    public WebhookDispatcher Webhooks { get; }

    public string BaseUrl { get; internal set; } = string.Empty;

    internal long Now => Options.TimeProvider.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>Data Stripe keeps but does not show on the object (e.g. a session's payment_intent_data).</summary>
    internal Dictionary<string, JsonObject> Hidden { get; } = new(StringComparer.Ordinal);

    internal int DeclineNext { get; set; }

    internal string? NextRefundFailure { get; set; }

    internal bool NextRefundPending { get; set; }

    internal Dictionary<string, byte[]> FileContents { get; } = new(StringComparer.Ordinal);

    internal JsonObject Add(JsonObject obj)
    {
        var id = obj["id"]!.GetValue<string>();
        byId[id] = obj;
        order.Add(obj);
        return obj;
    }

    internal JsonObject? Find(string id, string objectType) =>
        byId.TryGetValue(id, out var obj) && Is(obj, objectType) ? obj : null;

    /// <summary>The stored object or Stripe's 404.</summary>
    internal JsonObject Get(string id, string objectType) =>
        Find(id, objectType) ?? throw StripeApiException.Missing(objectType.Replace('.', ' ').Replace('_', ' '), id);

    /// <summary>Objects of one type, newest first (created, then insertion), like Stripe's lists.</summary>
    internal List<JsonObject> All(string objectType) =>
        [.. order.Where(o => Is(o, objectType)).Select((o, i) => (o, i))
            .OrderByDescending(p => p.o["created"].AsLong()).ThenByDescending(p => p.i).Select(p => p.o)];

    /// <summary>Records an event with a snapshot of <paramref name="obj"/> and hands it to the webhook dispatcher.</summary>
    internal JsonObject Emit(string type, JsonObject obj, RequestInfo request)
    {
        var evt = StripeObjects.Clone("event");
        evt["id"] = StripeObjects.NewId("evt_");
        evt["api_version"] = Stripe.StripeConfiguration.ApiVersion;
        evt["created"] = Now;
        evt["data"] = new JsonObject { ["object"] = obj.DeepClone() };
        evt["livemode"] = false;
        evt["pending_webhooks"] = Webhooks.Targets.Count;
        evt["request"] = new JsonObject { ["id"] = request.Id, ["idempotency_key"] = request.IdempotencyKey };
        evt["type"] = type;
        Add(evt);
        Webhooks.Publish(evt);
        return evt;
    }

    internal void FailNext(FakeFault fault, int count)
    {
        for (var i = 0; i < count; i++)
        {
            faults.Enqueue(fault);
        }
    }

    internal FakeFault? TakeFault() => faults.TryDequeue(out var fault) ? fault : null;

    private static bool Is(JsonObject obj, string objectType) =>
        string.Equals(obj["object"]?.GetValue<string>(), objectType, StringComparison.Ordinal);
}
