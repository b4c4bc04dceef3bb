using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Payments;
using Neruba.Infrastructure.Payments.Checkout;
using Neruba.Infrastructure.Payments.CreditPacks;
using Neruba.Infrastructure.Payments.Webhooks;
using Neruba.StripeFake;

namespace Neruba.Infrastructure.Tests.Payments.Disputes;

/// <summary>Edges an outside review found: a lost dispute on a credit pack purchase, a dispute settled in another currency, long non-ASCII evidence.</summary>
public sealed class DisputeEdgeTests
{
    [Fact]
    public async Task A_lost_dispute_on_a_credit_pack_purchase_takes_back_the_unused_credit_it_bought()
    {
        await using var s = await PaymentScenario.StartAsync();
        var pack = await s.Harness.RunAsync<CreateCreditPack, CreditPackInput, CreditPackView>(s.Harness.Admin,
            new CreditPackInput("Starter", "USD", "50.00", "55.00", 365, 20));
        Assert.True(pack.Succeeded, pack.Message);
        var session = await s.Harness.RunAsync<CreateCheckoutSession, CreateCheckoutSession.Request, CheckoutSessionView>(s.Harness.Admin,
            new("cus_acme", pack.Value!.Id));
        Assert.True(session.Succeeded, session.Message);
        s.Fake.PayCheckoutSession(session.Value!.StripeSessionId);
        await s.DeliverAndProcessAsync();
        var purchase = await s.Harness.QueryAsync(db => db.CheckoutSessions.AsNoTracking().SingleAsync(c => c.Id == session.Value.Id));
        var block = await s.Harness.QueryAsync(db => db.CreditBlocks.AsNoTracking().SingleAsync(b => b.EntryId == purchase.EntryId));
        var charge = JsonNode.Parse(s.Fake.GetObjectJson(purchase.PaymentIntentId!)!)!["latest_charge"]!.GetValue<string>();

        var dispute = s.Fake.CreateDispute(charge);
        s.Fake.ResolveDispute(dispute, DisputeOutcome.Lost);
        await s.DeliverAndProcessAsync();

        Assert.Equal(5500 - 5000, (await s.Billing.BlocksAsync(block.CustomerId))[block.Id]);
        Assert.Equal(0, await s.Billing.BalanceAsync(AccountKind.DisputeHolds, null));
        Assert.Equal(0, await s.Billing.BalanceAsync(AccountKind.BadDebt, null));
        Assert.Equal(1500, await s.Billing.BalanceAsync(AccountKind.PaymentFees, null));
        var record = await s.Harness.QueryAsync(db => db.Disputes.AsNoTracking().SingleAsync(d => d.StripeDisputeId == dispute));
        Assert.Equal((block.CustomerId, (Guid?)null), (record.CustomerId!.Value, record.InvoiceId));
        await Ledger.Integrity.LedgerIntegrityAssert.PassesAsync(s.Harness);
    }

    [Fact]
    public async Task A_dispute_Stripe_settled_in_another_currency_posts_nothing_and_says_why()
    {
        await using var s = await PaymentScenario.StartAsync();
        await s.PayAcmeThroughStripeAsync();
        var invoice = await s.Billing.InvoiceAsync(s.Billing.Acme);
        var charge = await s.Harness.QueryAsync(db => db.Payments.Where(p => p.InvoiceId == invoice.Id).Select(p => p.StripeChargeId!).SingleAsync());
        s.Fake.CreateDispute(charge);
        var template = s.Fake.EventLog().Last(e => e.Type == "charge.dispute.funds_withdrawn").Id;
        var json = JsonNode.Parse(s.Fake.GetObjectJson(template)!)!.AsObject();
        json["id"] = "evt_settled_in_gbp";
        var dispute = json["data"]!["object"]!.AsObject();
        dispute["id"] = "dp_settled_in_gbp";
        dispute["balance_transactions"]!.AsArray()[0]!["id"] = "txn_settled_in_gbp";
        dispute["balance_transactions"]!.AsArray()[0]!["currency"] = "gbp";
        Assert.Equal(WebhookIntakeOutcome.Stored, (await s.ReceiveAsync(json.ToJsonString())).Outcome);

        var stored = await s.Harness.QueryAsync(db => db.StripeEvents.SingleAsync(e => e.StripeEventId == "evt_settled_in_gbp"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => s.Service<StripeEventProcessor>().ProcessAsync(stored.Id, CancellationToken.None));

        stored = await s.Harness.QueryAsync(db => db.StripeEvents.AsNoTracking().SingleAsync(e => e.StripeEventId == "evt_settled_in_gbp"));
        Assert.Equal(StripeEventStatus.Failed, stored.Status);
        Assert.Contains("not in the charge's currency", stored.LastError, StringComparison.Ordinal);
        Assert.False(await s.Harness.QueryAsync(db => db.Disputes.AnyAsync(d => d.StripeDisputeId == "dp_settled_in_gbp")));
        Assert.Equal(0, await s.Harness.QueryAsync(db => db.JournalEntries.CountAsync(e => e.IdempotencyKey == "stripe-dispute-txn:txn_settled_in_gbp")));
    }

    [Fact]
    public async Task Evidence_is_counted_as_typed_so_long_non_ASCII_text_within_the_field_limit_is_kept()
    {
        await using var s = await PaymentScenario.StartAsync();
        var dispute = await s.DisputeAcmeAsync();

        var saved = await DisputeEvidenceTests.SaveAsync(s, dispute.Id, new() { ["product_description"] = new string('ü', 10_500) });

        Assert.True(saved.Succeeded, saved.Message);
        Assert.Contains(new string('ü', 10_500), (await s.RecordAsync(dispute.Id)).EvidenceDraft, StringComparison.Ordinal);
    }
}
