using System.Text.Json.Nodes;
using Neruba.StripeFake.Api;

namespace Neruba.StripeFake;

internal static class CheckoutSessions
{
    public static void Map(WebApplication app, FakeState state)
    {
        app.MapStripe(state, "POST", "/v1/checkout/sessions", Create);
        app.MapStripe(state, "GET", "/v1/checkout/sessions/{id}", c => c.State.Get(c.Route("id"), "checkout.session"));
    }

    /// <summary>The customer pays on the hosted page: by card (paid now) or by bank (complete, unpaid until settled).</summary>
    public static JsonObject Pay(FakeState state, string id, bool delayed)
    {
        var session = state.Get(id, "checkout.session");
        if (!string.Equals(session["status"]?.GetValue<string>(), "open", StringComparison.Ordinal))
        {
            throw StripeApiException.Invalid($"Checkout session {id} is {session["status"]}, not open.", "id");
        }

        var hidden = state.Hidden[id];
        var customer = session["customer"]?.GetValue<string>();
        var pi = Payments.NewPaymentIntent(
            state,
            session["amount_total"].AsLong(),
            session["currency"]!.GetValue<string>(),
            customer,
            delayed ? "pm_bank_transfer" : Customers.DefaultCard,
            hidden["description"]?.GetValue<string>(),
            hidden["payment_intent_metadata"]!.DeepClone().AsObject());
        session["payment_intent"] = pi["id"]!.GetValue<string>();
        session["status"] = "complete";
        session["customer_details"] = new JsonObject
        {
            ["email"] = customer is null ? session["customer_email"]?.DeepClone() : state.Find(customer, "customer")?["email"]?.DeepClone(),
            ["name"] = null,
            ["phone"] = null,
            ["address"] = null,
            ["tax_exempt"] = "none",
            ["tax_ids"] = new JsonArray(),
        };
        if (delayed)
        {
            pi["status"] = "processing";
            session["payment_method_types"] = new JsonArray("card", "customer_balance");
        }
        else
        {
            Payments.Succeed(state, pi, RequestInfo.None);
            session["payment_status"] = "paid";
        }

        state.Emit("checkout.session.completed", session, RequestInfo.None);
        return session;
    }

    /// <summary>A delayed (bank) payment lands or fails.</summary>
    public static JsonObject Settle(FakeState state, string id, bool succeed)
    {
        var session = state.Get(id, "checkout.session");
        var pi = session["payment_intent"] is JsonValue piId ? state.Find(piId.GetValue<string>(), "payment_intent") : null;
        if (pi is null || !string.Equals(pi["status"]?.GetValue<string>(), "processing", StringComparison.Ordinal))
        {
            throw StripeApiException.Invalid($"Checkout session {id} has no delayed payment waiting.", "id");
        }

        if (succeed)
        {
            Payments.Succeed(state, pi, RequestInfo.None);
            session["payment_status"] = "paid";
            state.Emit("checkout.session.async_payment_succeeded", session, RequestInfo.None);
        }
        else
        {
            _ = Payments.Decline(state, pi, "insufficient_funds", RequestInfo.None);
            state.Emit("checkout.session.async_payment_failed", session, RequestInfo.None);
        }

        return session;
    }

    private static JsonObject Create(StripeCall call)
    {
        var form = call.Form;
        var state = call.State;
        var mode = form.Str("mode") ?? throw StripeApiException.Invalid("Missing required param: mode.", "mode", "parameter_missing");
        if (!string.Equals(mode, "payment", StringComparison.Ordinal))
        {
            throw StripeApiException.Invalid($"The fake supports mode=payment only, not {mode}.", "mode");
        }

        var (amount, currency, description) = LineItems(form);
        var customer = form.Str("customer");
        if (customer is not null)
        {
            state.Get(customer, "customer");
        }

        var session = StripeObjects.Clone("checkout.session");
        var id = StripeObjects.NewId("cs_test_", 58);
        var created = state.Now;
        session["id"] = id;
        session["created"] = created;
        session["expires_at"] = created + 86_400;
        session["amount_subtotal"] = amount;
        session["amount_total"] = amount;
        session["currency"] = currency;
        session["customer"] = customer;
        session["customer_email"] = form.Str("customer_email");
        session["customer_details"] = null;
        session["client_reference_id"] = form.Str("client_reference_id");
        session["metadata"] = StripeObjects.Metadata(form.Obj("metadata"));
        session["success_url"] = form.Str("success_url");
        session["cancel_url"] = form.Str("cancel_url");
        session["payment_intent"] = null;
        session["payment_status"] = "unpaid";
        session["status"] = "open";
        session["url"] = $"{state.BaseUrl}/checkout/pay/{id}";
        session["total_details"] = new JsonObject { ["amount_discount"] = 0, ["amount_shipping"] = 0, ["amount_tax"] = 0 };
        foreach (var field in new[] { "shipping_cost", "currency_conversion", "collected_information", "shipping_address_collection", "custom_text", "after_expiration", "invoice_creation", "payment_method_configuration_details", "managed_payments" })
        {
            session[field] = null;
        }

        state.Hidden[id] = new JsonObject
        {
            ["payment_intent_metadata"] = StripeObjects.Metadata(form.Obj("payment_intent_data", "metadata")),
            ["description"] = form.Str("payment_intent_data", "description") ?? description,
        };
        state.Add(session);
        return session;
    }

    private static (long Amount, string Currency, string Description) LineItems(FormBody form)
    {
        long total = 0;
        string? currency = null;
        var names = new List<string>();
        var index = 0;
        foreach (var item in FormBody.Items(form.Node("line_items")).OfType<JsonObject>())
        {
            var line = new FormBody(item);
            var param = $"line_items[{index++}]";
            if (line.Str("price") is not null)
            {
                throw StripeApiException.Invalid("The fake knows no prices: use price_data.", param + "[price]");
            }

            var unit = line.Number("price_data", "unit_amount") ?? throw StripeApiException.Invalid("Missing unit_amount.", param + "[price_data][unit_amount]", "parameter_missing");
            var lineCurrency = line.Str("price_data", "currency")?.ToLowerInvariant() ?? throw StripeApiException.Invalid("Missing currency.", param + "[price_data][currency]", "parameter_missing");
            if (currency is not null && !string.Equals(currency, lineCurrency, StringComparison.Ordinal))
            {
                throw StripeApiException.Invalid("All line items must share one currency.", param + "[price_data][currency]");
            }

            currency = lineCurrency;
            total += unit * (line.Number("quantity") ?? 1);
            names.Add(line.Str("price_data", "product_data", "name") ?? "item");
        }

        return currency is null
            ? throw StripeApiException.Invalid("Missing required param: line_items.", "line_items", "parameter_missing")
            : (total, currency, string.Join(", ", names));
    }
}
