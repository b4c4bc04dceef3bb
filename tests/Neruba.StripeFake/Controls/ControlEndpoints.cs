using System.Globalization;
using System.Text.Json.Nodes;
using Neruba.StripeFake.Webhooks;

namespace Neruba.StripeFake.Controls;

/// <summary>
/// The C# controls as HTTP: POST /_fake/... with query or form parameters. A browser form post is redirected back
/// (to <c>return</c> or the dashboard); anything else gets JSON.
/// </summary>
internal static class ControlEndpoints
{
    public static void Map(WebApplication app, FakeStripeServer fake)
    {
        Post(app, "/_fake/checkout/{id}/pay", (c, id) => new JsonObject { ["session"] = fake.PayCheckoutSession(id, Bool(c, "delayed")) });
        Post(app, "/_fake/checkout/{id}/settle", (c, id) => new JsonObject { ["session"] = fake.SettleDelayedPayment(id, Bool(c, "succeed", true)) });
        Post(app, "/_fake/payment_intents/decline-next", (c, _) => Done(() => fake.DeclineNextPaymentIntents(Int(c, "count", 1))));
        Post(app, "/_fake/fail-next", (c, _) => Done(() => fake.FailNext(Enum.Parse<FakeFault>(Param(c, "fault") ?? "ServerError", true), Int(c, "count", 1))));
        Post(app, "/_fake/refunds/fail-next", (c, _) => Done(() => fake.FailNextRefund(Param(c, "reason") ?? "lost_or_stolen_card")));
        Post(app, "/_fake/refunds/pend-next", (_, _) => Done(fake.PendNextRefund));
        Post(app, "/_fake/refunds/{id}/settle", (c, id) => new JsonObject { ["refund"] = fake.SettleRefund(id, Bool(c, "succeed", true), Param(c, "reason") ?? "lost_or_stolen_card") });
        Post(app, "/_fake/charges/{id}/dispute", (c, id) => new JsonObject { ["dispute"] = fake.CreateDispute(id, Param(c, "reason") ?? "fraudulent", Long(c, "amount")) });
        Post(app, "/_fake/disputes/{id}/resolve", (c, id) => new JsonObject { ["dispute"] = fake.ResolveDispute(id, Enum.Parse<DisputeOutcome>(Param(c, "outcome") ?? "won", true)) });
        Post(app, "/_fake/customers/{id}/outside-payment", (c, id) =>
        {
            var paid = fake.RecordOutsidePayment(id, Long(c, "amount") ?? 1000, Param(c, "currency") ?? "eur");
            return new JsonObject { ["charge"] = paid.ChargeId, ["payment_intent"] = paid.PaymentIntentId, ["balance_transaction"] = paid.BalanceTransactionId };
        });
        Post(app, "/_fake/customers/{id}/default-payment-method", (c, id) => Done(() => fake.SetDefaultPaymentMethod(id, Param(c, "payment_method") is { Length: > 0 } pm ? pm : null)));
        Post(app, "/_fake/payouts", (c, _) => new JsonObject { ["payout"] = fake.CreatePayout(Long(c, "amount") ?? 1000, Param(c, "currency") ?? "eur") });
        Post(app, "/_fake/balance_transactions/{id}/fee", (c, id) => Done(() => fake.AdjustFee(id, Long(c, "fee") ?? 0)));
        Post(app, "/_fake/webhooks/mode", (c, _) => Done(() => fake.Webhooks.Mode = Enum.Parse<WebhookMode>(Param(c, "mode") ?? "Immediate", true)));
        Post(app, "/_fake/webhooks/delay", (c, _) => Done(() => fake.Webhooks.Delay = TimeSpan.FromMilliseconds(Int(c, "ms", 0))));
        Post(app, "/_fake/webhooks/targets", (c, _) => Done(() => fake.AddWebhookTarget(Param(c, "url") ?? throw new StripeApiException(400, "invalid_request_error", "url is required"), Param(c, "secret") ?? StripeObjects.NewId("whsec_", 32))));
        PostAsync(app, "/_fake/webhooks/deliver", async (c, _) => Deliveries(await fake.Webhooks.DeliverPendingAsync(Bool(c, "reverse"), Bool(c, "duplicate")).ConfigureAwait(false)));
        PostAsync(app, "/_fake/events/{id}/resend", async (c, id) => Deliveries(await fake.Webhooks.SendAsync(id, Enum.Parse<WebhookTampering>(Param(c, "tampering") ?? "None", true)).ConfigureAwait(false)));
        app.MapGet("/_fake/webhooks/deliveries", () => Results.Content(Deliveries(fake.Webhooks.Deliveries).ToJsonString(), "application/json"));
    }

    private static JsonObject Done(Action action)
    {
        action();
        return new JsonObject { ["ok"] = true };
    }

    private static JsonObject Deliveries(IEnumerable<WebhookDelivery> deliveries) => new()
    {
        ["deliveries"] = new JsonArray([.. deliveries.Select(d => (JsonNode)new JsonObject
        {
            ["event"] = d.EventId,
            ["type"] = d.EventType,
            ["url"] = d.Url,
            ["status"] = d.StatusCode,
            ["at"] = d.At.ToUnixTimeSeconds(),
            ["attempt"] = d.Attempt,
            ["tampering"] = d.Tampering.ToString(),
            ["error"] = d.Error,
        })]),
    };

    private static void Post(WebApplication app, string pattern, Func<HttpContext, string, JsonObject> action) =>
        PostAsync(app, pattern, (c, id) => Task.FromResult(action(c, id)));

    private static void PostAsync(WebApplication app, string pattern, Func<HttpContext, string, Task<JsonObject>> action) =>
        app.MapPost(pattern, async ctx =>
        {
            if (ctx.Request.HasFormContentType)
            {
                await ctx.Request.ReadFormAsync(ctx.RequestAborted).ConfigureAwait(false);
            }

            JsonObject result;
            int status;
            try
            {
                result = await action(ctx, ctx.GetRouteValue("id")?.ToString() ?? string.Empty).ConfigureAwait(false);
                status = 200;
            }
            catch (StripeApiException e)
            {
                result = e.ToJson();
                status = e.Status;
            }
            catch (Exception e) when (e is ArgumentException or FormatException)
            {
                result = StripeApiException.Invalid(e.Message).ToJson();
                status = 400;
            }

            if (ctx.Request.HasFormContentType && status == 200)
            {
                ctx.Response.Redirect(Param(ctx, "return") is { Length: > 0 } back && back.StartsWith('/') ? back : "/_fake", false);
                return;
            }

            ctx.Response.StatusCode = status;
            ctx.Response.ContentType = "application/json";
            await ctx.Response.WriteAsync(result.ToJsonString(), ctx.RequestAborted).ConfigureAwait(false);
        });

    private static string? Param(HttpContext ctx, string name)
    {
        if (ctx.Request.Query.TryGetValue(name, out var q))
        {
            return q.ToString();
        }

        return ctx.Request.HasFormContentType && ctx.Request.Form.TryGetValue(name, out var f) ? f.ToString() : null;
    }

    private static bool Bool(HttpContext ctx, string name, bool fallback = false) =>
        Param(ctx, name) is { Length: > 0 } v ? bool.Parse(v) : fallback;

    private static int Int(HttpContext ctx, string name, int fallback) =>
        Param(ctx, name) is { Length: > 0 } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    private static long? Long(HttpContext ctx, string name) =>
        Param(ctx, name) is { Length: > 0 } v ? long.Parse(v, CultureInfo.InvariantCulture) : null;
}
