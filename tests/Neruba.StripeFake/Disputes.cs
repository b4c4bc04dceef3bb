using System.Text.Json.Nodes;
using Neruba.StripeFake.Api;

namespace Neruba.StripeFake;

internal static class Disputes
{
    /// <summary>Stripe's dispute fee (15.00 in the charge's currency).</summary>
    public const long DisputeFee = 1500;

    private static readonly string[] Closed = ["won", "lost", "warning_closed"];

    public static void Map(WebApplication app, FakeState state)
    {
        app.MapStripe(state, "GET", "/v1/disputes/{id}", c => c.State.Get(c.Route("id"), "dispute"));
        app.MapStripe(state, "GET", "/v1/disputes", List);
        app.MapStripe(state, "POST", "/v1/disputes/{id}", Update);
        app.MapStripe(state, "POST", "/v1/disputes/{id}/close", c => Close(c.State, c.Route("id"), "lost", c.Request));
    }

    /// <summary>The cardholder disputes a charge: money and a 15.00 fee are withdrawn.</summary>
    public static JsonObject Create(FakeState state, string chargeId, string reason, long? amount)
    {
        var charge = state.Get(chargeId, "charge");
        var currency = charge["currency"]!.GetValue<string>();
        var disputed = amount ?? charge["amount"].AsLong();
        var dispute = StripeObjects.Clone("dispute");
        var id = StripeObjects.NewId("dp_");
        var withdrawal = Payments.NewBalanceTransaction(state, -disputed, DisputeFee, currency, "adjustment", "dispute", id, "Chargeback withdrawal for " + chargeId);
        withdrawal["fee_details"] = Payments.FeeDetails(DisputeFee, currency, "Dispute fee");
        dispute["id"] = id;
        dispute["amount"] = disputed;
        dispute["currency"] = currency;
        dispute["charge"] = chargeId;
        dispute["payment_intent"] = charge["payment_intent"]?.DeepClone();
        dispute["created"] = state.Now;
        dispute["reason"] = reason;
        dispute["status"] = "needs_response";
        dispute["is_charge_refundable"] = false;
        dispute["balance_transactions"] = new JsonArray(withdrawal.DeepClone());
        dispute["evidence_details"] = new JsonObject
        {
            ["due_by"] = state.Now + (7 * 86_400),
            ["has_evidence"] = false,
            ["past_due"] = false,
            ["submission_count"] = 0,
            ["enhanced_eligibility"] = new JsonObject(),
        };
        dispute["enhanced_eligibility_types"] = new JsonArray();
        dispute["payment_method_details"]!["card"]!["case_type"] = "chargeback";
        state.Add(dispute);
        charge["disputed"] = true;
        state.Emit("charge.dispute.created", dispute, RequestInfo.None);
        state.Emit("charge.dispute.funds_withdrawn", dispute, RequestInfo.None);
        return dispute;
    }

    /// <summary>The bank decides. Won: the money comes back (funds_reinstated, a reinstatement balance transaction).</summary>
    public static JsonObject Resolve(FakeState state, string id, bool won)
    {
        var dispute = Close(state, id, won ? "won" : "lost", RequestInfo.None);
        if (won)
        {
            var amount = dispute["amount"].AsLong();
            var txn = Payments.NewBalanceTransaction(state, amount, 0, dispute["currency"]!.GetValue<string>(), "adjustment", "dispute_reversal", id, "Chargeback reversal for " + dispute["charge"]);
            dispute["balance_transactions"]!.AsArray().Add(txn.DeepClone());
            state.Emit("charge.dispute.funds_reinstated", dispute, RequestInfo.None);
        }

        return dispute;
    }

    private static JsonObject Close(FakeState state, string id, string status, RequestInfo request)
    {
        var dispute = state.Get(id, "dispute");
        if (Closed.Contains(dispute["status"]?.GetValue<string>(), StringComparer.Ordinal))
        {
            throw StripeApiException.Invalid($"This dispute is already closed ({dispute["status"]}).", null, "dispute_already_closed");
        }

        dispute["status"] = status;
        state.Emit("charge.dispute.closed", dispute, request);
        return dispute;
    }

    private static JsonObject Update(StripeCall call)
    {
        var state = call.State;
        var dispute = state.Get(call.Route("id"), "dispute");
        var status = dispute["status"]?.GetValue<string>();
        var evidenceForm = call.Form.Obj("evidence");
        var submit = call.Form.Bool("submit") ?? true; // Stripe submits unless told submit=false
        if (status is not ("needs_response" or "warning_needs_response") && (evidenceForm is not null || submit))
        {
            throw StripeApiException.Invalid($"This dispute is {status} and its evidence can no longer be changed.", evidenceForm is null ? "submit" : "evidence");
        }

        var evidence = dispute["evidence"]!.AsObject();
        foreach (var (key, value) in evidenceForm ?? [])
        {
            if (!evidence.ContainsKey(key) || value is not JsonValue)
            {
                throw StripeApiException.Invalid($"Received unknown parameter: evidence[{key}]", $"evidence[{key}]");
            }

            var text = value.ToString();
            evidence[key] = text.Length == 0 ? null : text;
        }

        var details = dispute["evidence_details"]!.AsObject();
        details["has_evidence"] = evidence.Any(p => p.Value is JsonValue);
        dispute["metadata"] = StripeObjects.Metadata(call.Form.Obj("metadata"), dispute["metadata"] as JsonObject);
        if (submit)
        {
            details["submission_count"] = details["submission_count"].AsLong() + 1;
            dispute["status"] = "under_review";
        }

        state.Emit("charge.dispute.updated", dispute, call.Request);
        return dispute;
    }

    private static JsonObject List(StripeCall call)
    {
        var charge = call.Form.Str("charge");
        var pi = call.Form.Str("payment_intent");
        var matching = call.State.All("dispute").Where(d =>
            (charge is null || string.Equals(d["charge"]?.GetValue<string>(), charge, StringComparison.Ordinal))
            && (pi is null || string.Equals(d["payment_intent"]?.GetValue<string>(), pi, StringComparison.Ordinal)));
        return Lists.Page(matching, call.Form, "/v1/disputes");
    }
}
