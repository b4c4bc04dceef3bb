using System.Text.Json.Nodes;
using Neruba.StripeFake.Api;

namespace Neruba.StripeFake;

internal static class BalanceTransactions
{
    public static void Map(WebApplication app, FakeState state)
    {
        app.MapStripe(state, "GET", "/v1/balance_transactions/{id}", c => Refresh(c.State, c.State.Get(c.Route("id"), "balance_transaction")));
        app.MapStripe(state, "GET", "/v1/balance_transactions", List);
        app.MapStripe(state, "GET", "/v1/balance", c => Balance(c.State));
        app.MapStripe(state, "GET", "/v1/account", _ => Account());
    }

    /// <summary>Pending money becomes available once the clock passes available_on.</summary>
    public static JsonObject Refresh(FakeState state, JsonObject txn)
    {
        if (state.Now >= txn["available_on"].AsLong())
        {
            txn["status"] = "available";
        }

        return txn;
    }

    public static JsonObject AdjustFee(FakeState state, string id, long fee)
    {
        var txn = state.Get(id, "balance_transaction");
        var currency = txn["currency"]!.GetValue<string>();
        txn["fee"] = fee;
        txn["net"] = txn["amount"].AsLong() - fee;
        txn["fee_details"] = Payments.FeeDetails(fee, currency);
        return txn;
    }

    private static JsonObject List(StripeCall call)
    {
        var all = call.State.All("balance_transaction");
        all.ForEach(t => Refresh(call.State, t));
        var type = call.Form.Str("type");
        var source = call.Form.Str("source");
        var matching = all.Where(t =>
            (type is null || string.Equals(t["type"]?.GetValue<string>(), type, StringComparison.Ordinal))
            && (source is null || string.Equals(t["source"]?.GetValue<string>(), source, StringComparison.Ordinal)));
        return Lists.Page(matching, call.Form, "/v1/balance_transactions");
    }

    private static JsonObject Balance(FakeState state)
    {
        var balance = StripeObjects.Clone("balance");
        var byCurrency = state.All("balance_transaction").Select(t => Refresh(state, t))
            .GroupBy(t => t["currency"]!.GetValue<string>(), StringComparer.Ordinal).ToList();
        if (byCurrency.Count == 0)
        {
            return balance;
        }

        JsonArray Sum(string status) => [.. byCurrency.Select(g =>
        {
            var net = g.Where(t => string.Equals(t["status"]?.GetValue<string>(), status, StringComparison.Ordinal)).Sum(t => t["net"].AsLong());
            return (JsonNode)new JsonObject { ["amount"] = net, ["currency"] = g.Key, ["source_types"] = new JsonObject { ["card"] = net } };
        })];
        balance["available"] = Sum("available");
        balance["pending"] = Sum("pending");
        balance["connect_reserved"] = null;
        return balance;
    }

    private static JsonObject Account()
    {
        var account = StripeObjects.Clone("account");
        account["id"] = "acct_1NerubaFakeStripe0";
        account["email"] = "billing@neruba.test";
        account["business_profile"]!["name"] = "Neruba (fake Stripe)";
        return account;
    }
}
