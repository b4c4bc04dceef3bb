using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Neruba.StripeFake.Controls;

/// <summary>Pages for a person: the hosted checkout page (/checkout/pay/{id}) and the dashboard (/_fake).</summary>
internal static class Dashboard
{
    private const string Style = "<style>body{font-family:sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse;margin-bottom:2em}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}form{display:inline}button{margin:2px}</style>";

    public static void Map(WebApplication app, FakeStripeServer fake)
    {
        app.MapGet("/checkout/pay/{id}", (string id) => Html(CheckoutPage(fake, id)));
        app.MapPost("/checkout/pay/{id}", async (HttpContext ctx, string id) =>
        {
            var form = await ctx.Request.ReadFormAsync(ctx.RequestAborted).ConfigureAwait(false);
            var delayed = string.Equals(form["method"], "bank", StringComparison.Ordinal);
            fake.PayCheckoutSession(id, delayed);
            var session = JsonNode.Parse(fake.GetObjectJson(id)!)!;
            var success = session["success_url"]?.GetValue<string>()?.Replace("{CHECKOUT_SESSION_ID}", id, StringComparison.Ordinal);
            return success is null ? Results.Redirect($"/checkout/pay/{id}") : Results.Redirect(success);
        });
        app.MapGet("/_fake", () => Html(Page(fake)));
    }

    private static IResult Html(string body) =>
        Results.Content($"<!doctype html><html><head><meta charset=utf-8><title>Fake Stripe</title>{Style}</head><body>{body}</body></html>", "text/html; charset=utf-8");

    private static string CheckoutPage(FakeStripeServer fake, string id)
    {
        var json = fake.GetObjectJson(id);
        if (json is null || JsonNode.Parse(json) is not JsonObject session || session["object"]?.GetValue<string>() != "checkout.session")
        {
            return "<h1>No such checkout session</h1>";
        }

        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<h1>Fake Stripe Checkout</h1><p>Session <code>{E(id)}</code></p>");
        html.Append(CultureInfo.InvariantCulture, $"<p>Amount: <b>{Money(session["amount_total"], session["currency"])}</b></p>");
        html.Append(CultureInfo.InvariantCulture, $"<p>Status: {E(session["status"])}, payment: {E(session["payment_status"])}</p>");
        if (session["status"]?.GetValue<string>() == "open")
        {
            html.Append(CultureInfo.InvariantCulture, $"<form method=post action='/checkout/pay/{E(id)}'><input type=hidden name=method value=card><button>Pay with card</button></form>");
            html.Append(CultureInfo.InvariantCulture, $"<form method=post action='/checkout/pay/{E(id)}'><input type=hidden name=method value=bank><button>Pay by bank (delayed)</button></form>");
            if (session["cancel_url"]?.GetValue<string>() is { } cancel)
            {
                html.Append(CultureInfo.InvariantCulture, $"<p><a href='{E(cancel)}'>Cancel</a></p>");
            }
        }
        else if (session["payment_status"]?.GetValue<string>() == "unpaid")
        {
            html.Append(SettleButtons(id, $"/checkout/pay/{id}"));
        }

        return html.ToString();
    }

    private static string Page(FakeStripeServer fake)
    {
        var html = new StringBuilder("<h1>Fake Stripe</h1>");
        html.Append(CultureInfo.InvariantCulture, $"<p>API base <code>{E(fake.BaseUrl)}</code>, key <code>{E(fake.SecretKey)}</code>, webhooks: {E(fake.Webhooks.Mode)} ({fake.Webhooks.PendingCount} pending) to {E(string.Join(", ", fake.Webhooks.Targets.Select(t => t.Url)))}</p>");
        html.Append(Button("/_fake/webhooks/mode?mode=Immediate", "Immediate webhooks") + Button("/_fake/webhooks/mode?mode=Manual", "Manual webhooks")
            + Button("/_fake/webhooks/deliver", "Deliver pending") + Button("/_fake/webhooks/deliver?reverse=true", "Deliver pending, reversed")
            + Button("/_fake/payment_intents/decline-next?count=1", "Decline next payment") + Button("/_fake/fail-next?fault=RateLimited", "Rate-limit next call")
            + Button("/_fake/refunds/fail-next", "Fail next refund") + Button("/_fake/refunds/pend-next", "Next refund pending"));
        var state = fake.State;
        List<JsonObject> sessions, intents, refunds, disputes, events;
        lock (state.Gate)
        {
            sessions = [.. state.All("checkout.session").Select(o => (JsonObject)o.DeepClone())];
            intents = [.. state.All("payment_intent").Select(o => (JsonObject)o.DeepClone())];
            refunds = [.. state.All("refund").Select(o => (JsonObject)o.DeepClone())];
            disputes = [.. state.All("dispute").Select(o => (JsonObject)o.DeepClone())];
            events = [.. state.All("event").Take(100).Select(o => (JsonObject)o.DeepClone())];
        }

        Table(html, "Checkout sessions", ["id", "amount", "status", "payment", ""], sessions, s =>
            [E(s["id"]), Money(s["amount_total"], s["currency"]), E(s["status"]), E(s["payment_status"]),
             s["status"]?.GetValue<string>() == "open" ? $"<a href='/checkout/pay/{E(s["id"])}'>Open page</a>"
             : s["payment_status"]?.GetValue<string>() == "unpaid" ? SettleButtons(s["id"]!.GetValue<string>(), "/_fake") : string.Empty]);
        Table(html, "Payment intents", ["id", "amount", "status", "customer", ""], intents, p =>
            [E(p["id"]), Money(p["amount"], p["currency"]), E(p["status"]), E(p["customer"]),
             p["latest_charge"] is JsonValue ch ? Button($"/_fake/charges/{E(ch)}/dispute", "Dispute charge") : string.Empty]);
        Table(html, "Refunds", ["id", "amount", "status", ""], refunds, r =>
            [E(r["id"]), Money(r["amount"], r["currency"]), E(r["status"]),
             r["status"]?.GetValue<string>() == "pending" ? Button($"/_fake/refunds/{E(r["id"])}/settle?succeed=true", "Settle") + Button($"/_fake/refunds/{E(r["id"])}/settle?succeed=false", "Fail") : string.Empty]);
        Table(html, "Disputes", ["id", "amount", "status", "due", ""], disputes, d =>
            [E(d["id"]), Money(d["amount"], d["currency"]), E(d["status"]), E(DateTimeOffset.FromUnixTimeSeconds(d["evidence_details"]!["due_by"].AsLong()).ToString("u", CultureInfo.InvariantCulture)),
             Button($"/_fake/disputes/{E(d["id"])}/resolve?outcome=won", "Won") + Button($"/_fake/disputes/{E(d["id"])}/resolve?outcome=lost", "Lost")]);
        Table(html, "Events (newest 100)", ["id", "type", "object", ""], events, e =>
            [E(e["id"]), E(e["type"]), E(e["data"]!["object"]!["id"]),
             Button($"/_fake/events/{E(e["id"])}/resend", "Resend") + Button($"/_fake/events/{E(e["id"])}/resend?tampering=BadSignature", "Resend with bad signature")]);
        return html.ToString();
    }

    private static string SettleButtons(string sessionId, string back) =>
        Button($"/_fake/checkout/{E(sessionId)}/settle?succeed=true&return={E(back)}", "Settle bank payment")
        + Button($"/_fake/checkout/{E(sessionId)}/settle?succeed=false&return={E(back)}", "Fail bank payment");

    // A POST form with an empty body field, so the control redirects back to the page.
    private static string Button(string action, string label) =>
        $"<form method=post action='{action}'><input type=hidden name=_ value=1><button>{E(label)}</button></form>";

    private static void Table(StringBuilder html, string title, string[] headers, List<JsonObject> rows, Func<JsonObject, string[]> cells)
    {
        html.Append(CultureInfo.InvariantCulture, $"<h2>{E(title)}</h2><table><tr>{string.Concat(headers.Select(h => $"<th>{E(h)}</th>"))}</tr>");
        foreach (var row in rows)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr>{string.Concat(cells(row).Select(c => $"<td>{c}</td>"))}</tr>");
        }

        html.Append("</table>");
    }

    private static string Money(JsonNode? amount, JsonNode? currency) =>
        amount is JsonValue v
            ? E((v.AsLong() / 100m).ToString("0.00", CultureInfo.InvariantCulture) + " " + currency?.ToString().ToUpperInvariant())
            : string.Empty;

    private static string E(object? value) => WebUtility.HtmlEncode(value?.ToString() ?? string.Empty);
}
