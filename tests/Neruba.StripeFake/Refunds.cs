using System.Text.Json.Nodes;
using Neruba.StripeFake.Api;

namespace Neruba.StripeFake;

internal static class Refunds
{
    public static void Map(WebApplication app, FakeState state)
    {
        app.MapStripe(state, "POST", "/v1/refunds", Create);
        app.MapStripe(state, "GET", "/v1/refunds/{id}", c => c.State.Get(c.Route("id"), "refund"));
    }

    /// <summary>A pending refund lands (succeeded) or bounces (failed).</summary>
    public static JsonObject Settle(FakeState state, string id, bool succeed, string failureReason = "lost_or_stolen_card")
    {
        var refund = state.Get(id, "refund");
        if (!string.Equals(refund["status"]?.GetValue<string>(), "pending", StringComparison.Ordinal))
        {
            throw StripeApiException.Invalid($"Refund {id} is not pending.", "id");
        }

        var charge = state.Get(refund["charge"]!.GetValue<string>(), "charge");
        if (succeed)
        {
            Complete(state, refund, charge, RequestInfo.None);
        }
        else
        {
            charge["amount_refunded"] = charge["amount_refunded"].AsLong() - refund["amount"].AsLong();
            Fail(state, refund, failureReason, RequestInfo.None);
        }

        return refund;
    }

    private static JsonObject Create(StripeCall call)
    {
        var state = call.State;
        var form = call.Form;
        var charge = FindCharge(state, form);
        var remaining = charge["amount"].AsLong() - charge["amount_refunded"].AsLong();
        var amount = form.Number("amount") ?? remaining;
        if (remaining <= 0)
        {
            throw StripeApiException.Invalid($"Charge {charge["id"]} has already been refunded.", null, "charge_already_refunded");
        }

        if (amount <= 0 || amount > remaining)
        {
            throw StripeApiException.Invalid($"Refund amount ({amount}) is greater than unrefunded amount on charge ({remaining})", "amount", "amount_too_large");
        }

        var refund = StripeObjects.Clone("refund");
        refund["id"] = StripeObjects.NewId("re_");
        refund["amount"] = amount;
        refund["balance_transaction"] = null;
        refund["charge"] = charge["id"]!.DeepClone();
        refund["payment_intent"] = charge["payment_intent"]?.DeepClone();
        refund["customer"] = charge["customer"]?.DeepClone();
        refund["payment_method"] = charge["payment_method"]?.DeepClone();
        refund["created"] = state.Now;
        refund["currency"] = charge["currency"]!.DeepClone();
        refund["reason"] = form.Str("reason");
        refund["metadata"] = StripeObjects.Metadata(form.Obj("metadata"));
        refund["status"] = "pending";
        state.Add(refund);
        // A pending refund already counts against the charge, as at Stripe.
        charge["amount_refunded"] = charge["amount_refunded"].AsLong() + amount;
        state.Emit("refund.created", refund, call.Request);

        if (state.NextRefundFailure is { } reason)
        {
            state.NextRefundFailure = null;
            charge["amount_refunded"] = charge["amount_refunded"].AsLong() - amount;
            Fail(state, refund, reason, call.Request);
        }
        else if (state.NextRefundPending)
        {
            state.NextRefundPending = false;
            refund["pending_reason"] = "processing";
        }
        else
        {
            Complete(state, refund, charge, call.Request);
        }

        return refund;
    }

    private static JsonObject FindCharge(FakeState state, FormBody form)
    {
        if (form.Str("charge") is { } chargeId)
        {
            return state.Get(chargeId, "charge");
        }

        var piId = form.Str("payment_intent") ?? throw StripeApiException.Invalid("One of the following params should be provided for this request: payment_intent or charge.", "charge", "parameter_missing");
        var pi = state.Get(piId, "payment_intent");
        return pi["latest_charge"] is JsonValue latest
            ? state.Get(latest.GetValue<string>(), "charge")
            : throw StripeApiException.Invalid($"PaymentIntent {piId} does not have a successful charge to refund.", "payment_intent", "charge_not_refundable");
    }

    private static void Complete(FakeState state, JsonObject refund, JsonObject charge, RequestInfo request)
    {
        var amount = refund["amount"].AsLong();
        var txn = Payments.NewBalanceTransaction(state, -amount, 0, refund["currency"]!.GetValue<string>(), "refund", "refund", refund["id"]!.GetValue<string>(), "REFUND FOR CHARGE");
        refund["status"] = "succeeded";
        refund["pending_reason"] = null;
        refund["balance_transaction"] = txn["id"]!.DeepClone();
        charge["refunded"] = charge["amount_refunded"].AsLong() >= charge["amount"].AsLong();
        var refunds = charge["refunds"]!["data"]!.AsArray();
        refunds.Insert(0, refund.DeepClone());
        state.Emit("charge.refunded", charge, request);
        state.Emit("refund.updated", refund, request);
    }

    private static void Fail(FakeState state, JsonObject refund, string reason, RequestInfo request)
    {
        refund["status"] = "failed";
        refund["failure_reason"] = reason;
        refund["pending_reason"] = null;
        state.Emit("refund.failed", refund, request);
        state.Emit("refund.updated", refund, request);
    }
}
