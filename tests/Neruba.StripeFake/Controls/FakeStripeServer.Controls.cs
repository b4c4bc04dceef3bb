using System.Text.Json.Nodes;

namespace Neruba.StripeFake;

/// <summary>What a customer, the bank or Stripe decides: the test and demo controls (also under /_fake).</summary>
public sealed partial class FakeStripeServer
{
    /// <summary>The customer pays on the checkout page: by card, or by bank (<paramref name="delayed"/>: complete but unpaid).</summary>
    public string PayCheckoutSession(string sessionId, bool delayed = false) =>
        Id(Locked(s => CheckoutSessions.Pay(s, sessionId, delayed)));

    /// <summary>A delayed checkout payment lands (<c>async_payment_succeeded</c>) or fails (<c>async_payment_failed</c>).</summary>
    public string SettleDelayedPayment(string sessionId, bool succeed = true) =>
        Id(Locked(s => CheckoutSessions.Settle(s, sessionId, succeed)));

    /// <summary>The next <paramref name="count"/> payment intent confirmations are declined (generic_decline).</summary>
    public void DeclineNextPaymentIntents(int count = 1)
    {
        lock (State.Gate)
        {
            State.DeclineNext = count;
        }
    }

    /// <summary>The next <paramref name="count"/> API calls answer with <paramref name="fault"/>.</summary>
    public void FailNext(FakeFault fault, int count = 1)
    {
        lock (State.Gate)
        {
            State.FailNext(fault, count);
        }
    }

    /// <summary>The next refund fails (refund.created, refund.failed, refund.updated).</summary>
    public void FailNextRefund(string reason = "lost_or_stolen_card")
    {
        lock (State.Gate)
        {
            State.NextRefundFailure = reason;
        }
    }

    /// <summary>The next refund stays pending until <see cref="SettleRefund"/>.</summary>
    public void PendNextRefund()
    {
        lock (State.Gate)
        {
            State.NextRefundPending = true;
        }
    }

    public string SettleRefund(string refundId, bool succeed = true, string failureReason = "lost_or_stolen_card") =>
        Id(Locked(s => Refunds.Settle(s, refundId, succeed, failureReason)));

    /// <summary>The cardholder disputes a charge; returns the dispute id (dp_…).</summary>
    public string CreateDispute(string chargeId, string reason = "fraudulent", long? amount = null) =>
        Id(Locked(s => Disputes.Create(s, chargeId, reason, amount)));

    public string ResolveDispute(string disputeId, DisputeOutcome outcome) =>
        Id(Locked(s => Disputes.Resolve(s, disputeId, outcome == DisputeOutcome.Won)));

    /// <summary>A payment Neruba never asked for (e.g. made in the Stripe dashboard): payment intent, charge and balance transaction.</summary>
    public OutsidePayment RecordOutsidePayment(string customerId, long amount, string currency = "eur")
    {
        var charge = Locked(s =>
        {
            s.Get(customerId, "customer");
            var pi = Payments.NewPaymentIntent(s, amount, currency, customerId, Customers.DefaultCard, "Payment outside Neruba", new JsonObject());
            return Payments.Succeed(s, pi, RequestInfo.None);
        });
        return new OutsidePayment(Id(charge), charge["payment_intent"]!.GetValue<string>(), charge["balance_transaction"]!.GetValue<string>());
    }

    /// <summary>Stripe revises the fee of a balance transaction (net follows).</summary>
    public void AdjustFee(string balanceTransactionId, long newFee) =>
        Locked(s => BalanceTransactions.AdjustFee(s, balanceTransactionId, newFee));

    /// <summary>
    /// Stripe pays <paramref name="amount"/> out to the bank: a payout balance transaction (type and reporting category "payout", source po_…,
    /// a negative amount). Returns the payout id.
    /// </summary>
    public string CreatePayout(long amount, string currency = "eur") =>
        Locked(s => Payments.NewBalanceTransaction(s, -amount, 0, currency, "payout", "payout", StripeObjects.NewId("po_"), "STRIPE PAYOUT"))["source"]!
            .GetValue<string>();

    /// <summary>Sets (or with null clears) a customer's <c>invoice_settings.default_payment_method</c>.</summary>
    public void SetDefaultPaymentMethod(string customerId, string? paymentMethodId) =>
        Locked(s =>
        {
            var customer = s.Get(customerId, "customer");
            customer["invoice_settings"]!["default_payment_method"] = paymentMethodId;
            return customer;
        });

    public void AddWebhookTarget(string url, string secret) => Webhooks.AddTarget(url, secret);

    private static string Id(JsonObject obj) => obj["id"]!.GetValue<string>();
}

public enum DisputeOutcome
{
    Won,
    Lost,
}

public sealed record OutsidePayment(string ChargeId, string PaymentIntentId, string BalanceTransactionId);
