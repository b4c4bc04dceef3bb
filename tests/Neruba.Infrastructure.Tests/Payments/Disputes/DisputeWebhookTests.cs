using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Credits;
using Neruba.Infrastructure.Payments;
using Neruba.Infrastructure.Payments.Disputes;
using Neruba.Infrastructure.Payments.Webhooks;
using Neruba.StripeFake;

namespace Neruba.Infrastructure.Tests.Payments.Disputes;

/// <summary>
/// Dispute webhooks: a hold when Stripe withdraws the money (fee included), a release when it comes back, a loss that makes the invoice owed again.
/// Each event carries the whole dispute, so duplicates and any order end in the same ledger.
/// </summary>
public sealed class DisputeWebhookTests
{
    private const long Paid = 4550;
    private const long Fee = 1500;

    [Fact]
    public async Task A_won_dispute_holds_the_money_and_its_fee_then_releases_the_money_and_expenses_the_fee_Stripe_kept()
    {
        await using var scenario = await PaymentScenario.StartAsync();
        var (invoice, disputeId) = await DisputeAcmeAsync(scenario);

        var dispute = await DisputeAsync(scenario, disputeId);
        Assert.Equal((DisputeStatus.NeedsResponse, Paid, "fraudulent"), (dispute.Status, dispute.Amount, dispute.Reason));
        Assert.Equal((invoice.Id, invoice.CustomerId), (dispute.InvoiceId, dispute.CustomerId));
        Assert.NotNull(dispute.PaymentId);
        Assert.True(dispute.EvidenceDueBy > scenario.Harness.Clock.GetUtcNow());
        Assert.Equal(Paid + Fee, await scenario.Billing.BalanceAsync(AccountKind.DisputeHolds, null));
        Assert.Equal(Paid - (Paid + Fee), await scenario.Billing.BalanceAsync(AccountKind.StripeClearing, null));
        Assert.Equal(InvoiceStatus.Paid, (await scenario.Billing.InvoiceAsync(scenario.Billing.Acme)).Status);

        scenario.Fake.ResolveDispute(disputeId, DisputeOutcome.Won);
        await scenario.DeliverAndProcessAsync();

        dispute = await DisputeAsync(scenario, disputeId);
        Assert.Equal(DisputeStatus.Won, dispute.Status);
        Assert.NotNull(dispute.ClosedAt);
        Assert.Equal(0, await scenario.Billing.BalanceAsync(AccountKind.DisputeHolds, null));
        Assert.Equal(Fee, await scenario.Billing.BalanceAsync(AccountKind.PaymentFees, null));
        Assert.Equal(Paid - Fee, await scenario.Billing.BalanceAsync(AccountKind.StripeClearing, null));
        Assert.Equal((1, 1), (await scenario.EntriesAsync(EntryKind.DisputeHold), await scenario.EntriesAsync(EntryKind.DisputeRelease)));
        var paidAgain = await scenario.Billing.InvoiceAsync(scenario.Billing.Acme);
        Assert.Equal((InvoiceStatus.Paid, 0L), (paidAgain.Status, paidAgain.AmountDue));
        var kinds = await EntryKindsAsync(scenario, dispute.Id);
        Assert.Equal([EntryKind.DisputeHold, EntryKind.DisputeRelease, EntryKind.PaymentFee], kinds);
    }

    [Fact]
    public async Task A_lost_dispute_makes_the_invoice_owed_again_and_the_customers_receivable_shows_it()
    {
        await using var scenario = await PaymentScenario.StartAsync();
        var (invoice, disputeId) = await DisputeAcmeAsync(scenario);

        scenario.Fake.ResolveDispute(disputeId, DisputeOutcome.Lost);
        await scenario.DeliverAndProcessAsync();

        var dispute = await DisputeAsync(scenario, disputeId);
        Assert.Equal(DisputeStatus.Lost, dispute.Status);
        var owed = await scenario.Billing.InvoiceAsync(scenario.Billing.Acme);
        Assert.Equal((InvoiceStatus.Finalized, Paid, 0L), (owed.Status, owed.AmountDue, owed.PaidTotal));
        Assert.Equal(Paid, await scenario.Billing.BalanceAsync(AccountKind.CustomerReceivable, invoice.CustomerId));
        var balance = await scenario.Harness.RunAsync<GetCustomerBalance, GetCustomerBalance.Request, CustomerBalanceView>(scenario.Harness.Admin, new("cus_acme"));
        Assert.Equal([Paid], balance.Value!.OwedOnInvoices.Select(o => o.Minor));
        Assert.Equal(0, await scenario.Billing.BalanceAsync(AccountKind.DisputeHolds, null));
        Assert.Equal(Fee, await scenario.Billing.BalanceAsync(AccountKind.PaymentFees, null));
        Assert.Equal(0, await scenario.Billing.BalanceAsync(AccountKind.BadDebt, null));
        Assert.Equal(1, await scenario.EntriesAsync(EntryKind.DisputeLoss));
        var audit = await scenario.Harness.QueryAsync(db => db.AuditEntries.Where(a => a.Action == "invoice.dispute_lost").Select(a => a.TargetId).ToListAsync());
        Assert.Equal([scenario.Billing.Acme], audit);
        await Ledger.Integrity.LedgerIntegrityAssert.PassesAsync(scenario.Harness);
    }

    [Fact]
    public async Task Two_workers_processing_a_new_disputes_events_at_once_make_one_dispute_and_one_hold()
    {
        await using var scenario = await PaymentScenario.StartAsync();
        var invoice = await scenario.PayAcmeThroughStripeAsync();
        scenario.Fake.CreateDispute(await ChargeOfAsync(scenario, invoice.Id));
        await scenario.DeliverAsync();
        var stored = await scenario.Harness.QueryAsync(db => db.StripeEvents.Where(e => e.Status == StripeEventStatus.Received).Select(e => e.Id).ToListAsync());
        Assert.Equal(2, stored.Count);

        var processor = scenario.Service<StripeEventProcessor>();
        await Task.WhenAll(stored.Select(id => Task.Run(() => processor.ProcessAsync(id, CancellationToken.None))));

        Assert.Equal(1, await scenario.Harness.QueryAsync(db => db.Disputes.CountAsync()));
        Assert.Equal(1, await scenario.EntriesAsync(EntryKind.DisputeHold));
        Assert.Equal(Paid + Fee, await scenario.Billing.BalanceAsync(AccountKind.DisputeHolds, null));
        Assert.Equal(Paid + Fee, await scenario.Harness.QueryAsync(db => db.Disputes.Select(d => d.HeldTotal).SingleAsync()));
    }

    [Fact]
    public async Task A_refund_on_an_invoice_whose_charge_is_under_a_chargeback_is_not_sent_to_Stripe()
    {
        await using var scenario = await PaymentScenario.StartAsync();
        await DisputeAcmeAsync(scenario);

        var note = await scenario.Billing.CreditAsync(scenario.Billing.Acme, flat: "10.00", refund: "10.00");

        Assert.True(note.Succeeded, note.Message);
        Assert.Empty(await scenario.RefundsAsync());
        Assert.Equal(-1000, await scenario.Billing.BalanceAsync(AccountKind.BankReceipts, null));
    }

    [Theory]
    [InlineData(DisputeOutcome.Won)]
    [InlineData(DisputeOutcome.Lost)]
    public async Task Duplicate_and_reversed_dispute_webhooks_end_in_the_same_ledger_as_one_delivery_in_order(DisputeOutcome outcome)
    {
        await using var inOrder = await PaymentScenario.StartAsync();
        await using var shuffled = await PaymentScenario.StartAsync();
        var expected = await PlayAsync(inOrder, outcome, reverse: false, twice: false);
        var actual = await PlayAsync(shuffled, outcome, reverse: true, twice: true);

        Assert.Equal(expected, actual);
        var events = await shuffled.Harness.QueryAsync(db => db.StripeEvents.Where(e => e.Type.StartsWith("charge.dispute")).ToListAsync());
        Assert.All(events, e => Assert.Equal((StripeEventStatus.Processed, 2), (e.Status, e.Deliveries)));
    }

    [Fact]
    public async Task An_inquiry_is_shown_but_moves_no_money_and_an_older_status_never_takes_a_dispute_back()
    {
        await using var scenario = await PaymentScenario.StartAsync();
        var invoice = await scenario.PayAcmeThroughStripeAsync();
        scenario.Fake.CreateDispute(await ChargeOfAsync(scenario, invoice.Id));
        var template = scenario.Fake.GetObjectJson(Event(scenario, "charge.dispute.created"))!;
        var clearing = await scenario.Billing.BalanceAsync(AccountKind.StripeClearing, null);

        // An inquiry on another charge of the same card: Stripe holds no money for it.
        await ReceiveAsync(scenario, template, "evt_inquiry_1", "charge.dispute.created", "du_inquiry", "warning_needs_response");
        await ReceiveAsync(scenario, template, "evt_inquiry_2", "charge.dispute.closed", "du_inquiry", "warning_closed");
        await ReceiveAsync(scenario, template, "evt_inquiry_3", "charge.dispute.updated", "du_inquiry", "warning_under_review");
        await scenario.ProcessAsync();

        var inquiry = await DisputeAsync(scenario, "du_inquiry");
        Assert.True(inquiry.IsInquiry);
        Assert.Equal(DisputeStatus.WarningClosed, inquiry.Status);
        Assert.NotNull(inquiry.ClosedAt);
        Assert.Equal(0, await scenario.Harness.QueryAsync(db => db.JournalEntries.CountAsync(e => e.Link == DisputeEvents.Link(inquiry.Id))));
        Assert.Equal(clearing, await scenario.Billing.BalanceAsync(AccountKind.StripeClearing, null));
        var outcome = await scenario.Harness.QueryAsync(db => db.StripeEvents.Where(e => e.StripeEventId == "evt_inquiry_3").Select(e => e.Outcome).SingleAsync());
        Assert.Contains("already WarningClosed", outcome, StringComparison.Ordinal);
    }

    /// <summary>Receives a dispute event made from the fake's own, with another id, status and no money moved (an inquiry).</summary>
    private static async Task ReceiveAsync(PaymentScenario scenario, string template, string eventId, string type, string disputeId, string status)
    {
        var json = JsonNode.Parse(template)!.AsObject();
        json["id"] = eventId;
        json["type"] = type;
        var dispute = json["data"]!["object"]!.AsObject();
        dispute["id"] = disputeId;
        dispute["status"] = status;
        dispute["balance_transactions"] = new JsonArray();
        var result = await scenario.ReceiveAsync(json.ToJsonString());
        Assert.Equal(WebhookIntakeOutcome.Stored, result.Outcome);
    }

    private static async Task<(string, string, long, long, long, long, long, InvoiceStatus)> PlayAsync(PaymentScenario scenario, DisputeOutcome outcome,
        bool reverse, bool twice)
    {
        var invoice = await scenario.PayAcmeThroughStripeAsync();
        var disputeId = scenario.Fake.CreateDispute(await ChargeOfAsync(scenario, invoice.Id));
        scenario.Fake.ResolveDispute(disputeId, outcome);
        var log = scenario.Fake.EventLog().Where(e => e.Type.StartsWith("charge.dispute", StringComparison.Ordinal)).Select(e => e.Id).ToList();
        await scenario.DeliverAsync(reverse);
        if (twice)
        {
            foreach (var id in log)
            {
                await scenario.ReceiveAsync(scenario.Fake.GetObjectJson(id)!);
            }
        }

        await scenario.ProcessAsync();
        var dispute = await scenario.Harness.QueryAsync(db => db.Disputes.AsNoTracking().SingleAsync());
        var billed = await scenario.Billing.InvoiceAsync(scenario.Billing.Acme);
        return (dispute.Status.ToString(), dispute.ClosedAt is null ? "open" : "closed", await scenario.Billing.BalanceAsync(AccountKind.DisputeHolds, null),
            await scenario.Billing.BalanceAsync(AccountKind.StripeClearing, null), await scenario.Billing.BalanceAsync(AccountKind.PaymentFees, null),
            await scenario.Billing.BalanceAsync(AccountKind.CustomerReceivable, invoice.CustomerId),
            await scenario.Harness.QueryAsync(db => db.JournalEntries.CountAsync(e => e.Link == DisputeEvents.Link(dispute.Id))), billed.Status);
    }

    internal static async Task<(InvoiceRecord Invoice, string DisputeId)> DisputeAcmeAsync(PaymentScenario scenario)
    {
        var invoice = await scenario.PayAcmeThroughStripeAsync();
        var disputeId = scenario.Fake.CreateDispute(await ChargeOfAsync(scenario, invoice.Id));
        await scenario.DeliverAndProcessAsync();
        return (invoice, disputeId);
    }

    internal static Task<string> ChargeOfAsync(PaymentScenario scenario, Guid invoiceId) =>
        scenario.Harness.QueryAsync(db => db.Payments.Where(p => p.InvoiceId == invoiceId && p.StripeChargeId != null).Select(p => p.StripeChargeId!).SingleAsync());

    private static Task<DisputeRecord> DisputeAsync(PaymentScenario scenario, string stripeId) =>
        scenario.Harness.QueryAsync(db => db.Disputes.AsNoTracking().SingleAsync(d => d.StripeDisputeId == stripeId));

    private static Task<List<EntryKind>> EntryKindsAsync(PaymentScenario scenario, Guid disputeId) =>
        scenario.Harness.QueryAsync(async db => (await db.JournalEntries.Where(e => e.Link == DisputeEvents.Link(disputeId)).Select(e => new { e.Kind, e.At })
            .ToListAsync()).OrderBy(e => e.At).ThenBy(e => e.Kind).Select(e => e.Kind).ToList());

    private static string Event(PaymentScenario scenario, string type) => scenario.Fake.EventLog().Last(e => e.Type == type).Id;
}
