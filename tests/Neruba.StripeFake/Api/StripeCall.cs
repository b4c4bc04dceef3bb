using System.Text.Json.Nodes;

namespace Neruba.StripeFake.Api;

/// <summary>One API request as a handler sees it (parameters already parsed, run under the state lock).</summary>
public sealed record StripeCall(FakeState State, HttpContext Http, FormBody Form, RequestInfo Request)
{
    public string Route(string name) => Http.GetRouteValue(name)?.ToString() ?? string.Empty;

    public IFormFileCollection? Files { get; init; }
}

internal static class StripeRoutes
{
    /// <summary>Maps a Stripe endpoint: the handler runs under the lock; <c>expand[]</c> is applied to what it returns.</summary>
    public static void MapStripe(this WebApplication app, FakeState state, string method, string pattern, Func<StripeCall, JsonObject> handler) =>
        app.MapMethods(pattern, [method], async ctx =>
        {
            var call = (StripeCall)ctx.Items[typeof(StripeCall)]! with { Http = ctx };
            string json;
            lock (state.Gate)
            {
                var result = handler(call).DeepClone().AsObject();
                Expansion.Apply(state, result, call.Form.Expand);
                json = result.ToJsonString();
            }

            await StripePipeline.WriteAsync(ctx, 200, json).ConfigureAwait(false);
        });
}

/// <summary><c>expand[]=field</c> and <c>expand[]=data.field</c>: an id string becomes the stored object.</summary>
internal static class Expansion
{
    public static void Apply(FakeState state, JsonObject obj, IReadOnlyList<string> paths)
    {
        foreach (var path in paths)
        {
            if (path.StartsWith("data.", StringComparison.Ordinal) && obj["data"] is JsonArray items)
            {
                foreach (var item in items.OfType<JsonObject>())
                {
                    ExpandField(state, item, path[5..]);
                }
            }
            else
            {
                ExpandField(state, obj, path);
            }
        }
    }

    private static void ExpandField(FakeState state, JsonObject obj, string path)
    {
        var dot = path.IndexOf('.', StringComparison.Ordinal);
        var field = dot < 0 ? path : path[..dot];
        if (obj[field] is JsonValue value && value.TryGetValue<string>(out var id))
        {
            var target = FindAny(state, id);
            if (target is not null)
            {
                obj[field] = target.DeepClone();
            }
        }

        if (dot >= 0 && obj[field] is JsonObject inner)
        {
            ExpandField(state, inner, path[(dot + 1)..]);
        }
    }

    private static JsonObject? FindAny(FakeState state, string id)
    {
        foreach (var type in new[] { "customer", "payment_intent", "charge", "balance_transaction", "refund", "dispute", "file", "checkout.session" })
        {
            var found = state.Find(id, type);
            if (found is not null)
            {
                return found;
            }
        }

        return null;
    }
}
