using System.Text.Json.Nodes;

namespace Neruba.StripeFake;

/// <summary>Money moving: payment intents, the charges they make and the balance transactions behind them.</summary>
internal static class Payments
{
    private const long SecondsPerDay = 86_400;

    /// <summary>Stripe's standard card price: 2.9 % (rounded half away from zero) + 30 minor units.</summary>
    public static long Fee(long amount) => DivideRounded(amount * 29, 1000) + 30;

    public static long DivideRounded(long numerator, long denominator) =>
        numerator >= 0 ? (numerator + (denominator / 2)) / denominator : -((-numerator + (denominator / 2)) / denominator);

    public static JsonObject NewPaymentIntent(FakeState state, long amount, string currency, string? customer, string? paymentMethod, string? description, JsonObject metadata)
    {
        var pi = StripeObjects.Clone("payment_intent");
        var id = StripeObjects.NewId("pi_");
        pi["id"] = id;
        pi["client_secret"] = id + "_secret_" + StripeObjects.NewId(string.Empty, 25);
        pi["amount"] = amount;
        pi["amount_received"] = 0;
        pi["currency"] = currency;
        pi["customer"] = customer;
        pi["payment_method"] = paymentMethod;
        pi["description"] = description;
        pi["metadata"] = metadata;
        pi["created"] = state.Now;
        pi["status"] = paymentMethod is null ? "requires_payment_method" : "requires_confirmation";
        foreach (var field in new[] { "canceled_at", "last_payment_error", "latest_charge", "next_action", "processing", "transfer_data", "payment_method_configuration_details", "shipping", "managed_payments" })
        {
            pi[field] = null;
        }

        return state.Add(pi);
    }

    /// <summary>The card pays: a charge and its balance transaction; events charge.succeeded, payment_intent.succeeded.</summary>
    public static JsonObject Succeed(FakeState state, JsonObject pi, RequestInfo request)
    {
        var amount = pi["amount"].AsLong();
        var currency = pi["currency"]!.GetValue<string>();
        var charge = StripeObjects.Clone("charge");
        var chargeId = StripeObjects.NewId("ch_");
        var txn = NewBalanceTransaction(state, amount, Fee(amount), currency, "charge", "charge", chargeId, pi["description"]?.GetValue<string>());
        var paymentMethod = pi["payment_method"]?.GetValue<string>() ?? Customers.DefaultCard;
        charge["id"] = chargeId;
        charge["amount"] = amount;
        charge["amount_captured"] = amount;
        charge["amount_refunded"] = 0;
        charge["balance_transaction"] = txn["id"]!.GetValue<string>();
        charge["captured"] = true;
        charge["created"] = state.Now;
        charge["currency"] = currency;
        charge["customer"] = pi["customer"]?.DeepClone();
        charge["description"] = pi["description"]?.DeepClone();
        charge["metadata"] = pi["metadata"]!.DeepClone();
        charge["outcome"] = new JsonObject { ["network_status"] = "approved_by_network", ["reason"] = null, ["risk_level"] = "normal", ["seller_message"] = "Payment complete.", ["type"] = "authorized" };
        charge["paid"] = true;
        charge["payment_intent"] = pi["id"]!.GetValue<string>();
        charge["payment_method"] = paymentMethod;
        charge["payment_method_details"]!["card"]!["overcapture"]!["maximum_amount_capturable"] = amount;
        charge["receipt_url"] = $"{state.BaseUrl}/receipts/{chargeId}";
        charge["refunded"] = false;
        charge["refunds"] = StripeObjects.EmptyList($"/v1/charges/{chargeId}/refunds");
        charge["status"] = "succeeded";
        charge["source"] = null;
        charge["shipping"] = null;
        charge["transfer_data"] = null;
        charge["billing_details"]!["name"] = null;
        state.Add(charge);

        pi["status"] = "succeeded";
        pi["amount_received"] = amount;
        pi["latest_charge"] = chargeId;
        pi["payment_method"] = paymentMethod;
        pi["last_payment_error"] = null;
        state.Emit("charge.succeeded", charge, request);
        state.Emit("payment_intent.succeeded", pi, request);
        return charge;
    }

    /// <summary>The card is declined: the intent waits for another payment method; event payment_intent.payment_failed.</summary>
    public static StripeApiException Decline(FakeState state, JsonObject pi, string declineCode, RequestInfo request)
    {
        const string Message = "Your card was declined.";
        var paymentMethod = pi["payment_method"]?.GetValue<string>() ?? "pm_card_chargeDeclined";
        pi["status"] = "requires_payment_method";
        pi["payment_method"] = null;
        pi["last_payment_error"] = new JsonObject
        {
            ["type"] = "card_error",
            ["code"] = "card_declined",
            ["decline_code"] = declineCode,
            ["message"] = Message,
            ["doc_url"] = "https://stripe.com/docs/error-codes/card-declined",
            ["payment_method"] = Customers.PaymentMethod(paymentMethod, pi["customer"]?.GetValue<string>()),
        };
        state.Emit("payment_intent.payment_failed", pi, request);
        return new StripeApiException(402, "card_error", Message, "card_declined")
        {
            DeclineCode = declineCode,
            PaymentIntent = pi,
        };
    }

    public static JsonObject NewBalanceTransaction(FakeState state, long amount, long fee, string currency, string type, string reportingCategory, string source, string? description)
    {
        var txn = StripeObjects.Clone("balance_transaction");
        var created = state.Now;
        txn["id"] = StripeObjects.NewId("txn_");
        txn["amount"] = amount;
        txn["fee"] = fee;
        txn["net"] = amount - fee;
        txn["fee_details"] = FeeDetails(fee, currency);
        txn["currency"] = currency;
        txn["created"] = created;
        txn["available_on"] = created + (state.Options.AvailableAfterDays * SecondsPerDay);
        txn["status"] = state.Options.AvailableAfterDays <= 0 ? "available" : "pending";
        txn["type"] = type;
        txn["reporting_category"] = reportingCategory;
        txn["source"] = source;
        txn["description"] = description;
        return state.Add(txn);
    }

    public static JsonArray FeeDetails(long fee, string currency, string description = "Stripe processing fees") =>
        fee == 0
            ? []
            : [new JsonObject { ["amount"] = fee, ["application"] = null, ["currency"] = currency, ["description"] = description, ["type"] = "stripe_fee" }];
}
