using System.Text.Json.Nodes;
using Neruba.StripeFake.Api;

namespace Neruba.StripeFake;

internal static class PaymentIntents
{
    // Stripe's test payment methods that decline, with their decline codes.
    private static readonly Dictionary<string, string> Declining = new(StringComparer.Ordinal)
    {
        ["pm_card_chargeDeclined"] = "generic_decline",
        ["pm_card_visa_chargeDeclined"] = "generic_decline",
        ["pm_card_chargeDeclinedInsufficientFunds"] = "insufficient_funds",
        ["pm_card_chargeDeclinedExpiredCard"] = "expired_card",
    };

    public static void Map(WebApplication app, FakeState state)
    {
        app.MapStripe(state, "POST", "/v1/payment_intents", Create);
        app.MapStripe(state, "GET", "/v1/payment_intents/{id}", c => c.State.Get(c.Route("id"), "payment_intent"));
        app.MapStripe(state, "POST", "/v1/payment_intents/{id}/confirm", c => Confirm(c.State, c.State.Get(c.Route("id"), "payment_intent"), c.Form.Str("payment_method"), c.Request));
        app.MapStripe(state, "GET", "/v1/charges/{id}", c => c.State.Get(c.Route("id"), "charge"));
    }

    private static JsonObject Create(StripeCall call)
    {
        var form = call.Form;
        var amount = form.Number("amount") ?? throw StripeApiException.Invalid("Missing required param: amount.", "amount", "parameter_missing");
        var currency = form.Str("currency") ?? throw StripeApiException.Invalid("Missing required param: currency.", "currency", "parameter_missing");
        if (amount < 50)
        {
            throw StripeApiException.Invalid("Amount must be at least 50 cents", "amount", "amount_too_small");
        }

        var customer = form.Str("customer");
        if (customer is not null)
        {
            call.State.Get(customer, "customer");
        }

        var pi = Payments.NewPaymentIntent(call.State, amount, currency.ToLowerInvariant(), customer, form.Str("payment_method"), form.Str("description"), StripeObjects.Metadata(form.Obj("metadata")));
        call.State.Emit("payment_intent.created", pi, call.Request);
        return form.Bool("confirm") == true ? Confirm(call.State, pi, null, call.Request) : pi;
    }

    private static JsonObject Confirm(FakeState state, JsonObject pi, string? paymentMethod, RequestInfo request)
    {
        if (paymentMethod is not null)
        {
            pi["payment_method"] = paymentMethod;
        }

        var pm = pi["payment_method"]?.GetValue<string>()
            ?? throw StripeApiException.Invalid("You cannot confirm this PaymentIntent because it's missing a payment method.", "payment_method", "payment_intent_unexpected_state");
        if (Declining.TryGetValue(pm, out var declineCode) || TakeDecline(state))
        {
            throw Payments.Decline(state, pi, declineCode ?? "generic_decline", request);
        }

        Payments.Succeed(state, pi, request);
        return pi;
    }

    private static bool TakeDecline(FakeState state)
    {
        if (state.DeclineNext <= 0)
        {
            return false;
        }

        state.DeclineNext--;
        return true;
    }
}
