using System.Text.Json.Nodes;
using Neruba.StripeFake.Api;

namespace Neruba.StripeFake;

internal static class Customers
{
    public const string DefaultCard = "pm_card_visa";

    public static void Map(WebApplication app, FakeState state)
    {
        app.MapStripe(state, "POST", "/v1/customers", Create);
        app.MapStripe(state, "GET", "/v1/customers/{id}", c => c.State.Get(c.Route("id"), "customer"));
        app.MapStripe(state, "POST", "/v1/customers/{id}", Update);
        app.MapStripe(state, "GET", "/v1/payment_methods/{id}", c => PaymentMethod(c.Route("id"), null));
    }

    public static JsonObject PaymentMethod(string id, string? customer)
    {
        var pm = StripeObjects.Clone("payment_method");
        pm["id"] = id;
        pm["customer"] = customer;
        pm["metadata"] = new JsonObject();
        return pm;
    }

    private static JsonObject Create(StripeCall call)
    {
        var state = call.State;
        var customer = StripeObjects.Clone("customer");
        customer["id"] = StripeObjects.NewId("cus_", 14);
        customer["created"] = state.Now;
        customer["currency"] = null;
        customer["discount"] = null;
        customer["shipping"] = null;
        customer["invoice_prefix"] = StripeObjects.NewId(string.Empty, 8).ToUpperInvariant();
        customer["email"] = call.Form.Str("email");
        customer["name"] = call.Form.Str("name");
        customer["description"] = call.Form.Str("description");
        customer["phone"] = call.Form.Str("phone");
        customer["metadata"] = StripeObjects.Metadata(call.Form.Obj("metadata"));
        customer["invoice_settings"]!["default_payment_method"] = state.Options.AttachCardToNewCustomers ? DefaultCard : null;
        state.Add(customer);
        state.Emit("customer.created", customer, call.Request);
        return customer;
    }

    private static JsonObject Update(StripeCall call)
    {
        var customer = call.State.Get(call.Route("id"), "customer");
        foreach (var field in new[] { "email", "name", "description", "phone" })
        {
            if (call.Form.Str(field) is { } value)
            {
                customer[field] = value.Length == 0 ? null : value;
            }
        }

        if (call.Form.Str("invoice_settings", "default_payment_method") is { } pm)
        {
            customer["invoice_settings"]!["default_payment_method"] = pm.Length == 0 ? null : pm;
        }

        customer["metadata"] = StripeObjects.Metadata(call.Form.Obj("metadata"), customer["metadata"] as JsonObject);
        call.State.Emit("customer.updated", customer, call.Request);
        return customer;
    }
}
