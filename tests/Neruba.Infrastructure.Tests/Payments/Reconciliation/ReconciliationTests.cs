using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Payments;
using Neruba.Infrastructure.Payments.Reconciliation;
using Neruba.Infrastructure.Payments.Refunds;
using Neruba.StripeFake;

namespace Neruba.Infrastructure.Tests.Payments.Reconciliation;

public sealed class ReconciliationTests
{
    [Fact]
    public async Task A_window_of_payments_fees_a_refund_a_won_dispute_and_a_payout_matches_and_posts_the_payout()
    {
        await using var s = await ReconciliationScenario.StartAsync();
        var attempt = await s.PayAcmeWithFeeAsync();
        var note = await s.Payments.Billing.CreditAsync(s.Payments.Billing.Acme, flat: "10.00", refund: "10.00");
        Assert.True(note.Succeeded, note.Message);
        await s.Payments.Service<StripeRefundJob>().RunAsync((await s.Payments.RefundsAsync()).Single().Id, CancellationToken.None);
        await s.Payments.DeliverAndProcessAsync();
        var dispute = s.Payments.Fake.CreateDispute(attempt.ChargeId!);
        s.Payments.Fake.ResolveDispute(dispute, DisputeOutcome.Won);
        await s.Payments.DeliverAndProcessAsync();
        s.Payments.Fake.CreatePayout(2_000, "usd");

        var run = await s.ReconcileAsync();

        Assert.Equal(ReconciliationRunStatus.Succeeded, run.Status);
        Assert.Empty(await s.MismatchesAsync(null));
        Assert.Equal((1, 5, 5, 1, 0), (run.PagesRead, run.TransactionsSeen, run.Matched, run.PayoutsPosted, run.MismatchesOpened));
        Assert.Equal(["charge", "dispute", "dispute_reversal", "payout", "refund"], run.Categories.Select(c => c.Category).Distinct());
        Assert.Equal(-2_000, run.Categories.Single(c => c.Category == "payout").Net);
        Assert.Equal(1, await s.Payments.EntriesAsync(EntryKind.Payout));
        Assert.Equal(2_000, await s.Payments.Billing.BalanceAsync(AccountKind.Bank, null));

        var again = await s.ReconcileAsync();
        Assert.Equal((0, 0), (again.PayoutsPosted, again.MismatchesOpened));
        Assert.Equal(1, await s.Payments.EntriesAsync(EntryKind.Payout));
    }

    [Fact]
    public async Task A_payment_made_outside_Neruba_and_a_revised_fee_are_exactly_two_mismatches_Finance_resolves_and_the_next_run_finds_none()
    {
        await using var s = await ReconciliationScenario.StartAsync();
        var attempt = await s.PayAcmeWithFeeAsync();
        var feeTxn = await s.ChargeTransactionAsync(attempt.ChargeId!);
        s.Payments.Fake.AdjustFee(feeTxn.Id, feeTxn.Fee + 25);
        var globex = await s.Payments.Billing.InvoiceAsync(s.Payments.Billing.Globex);
        var outside = s.Payments.Fake.RecordOutsidePayment(await s.StripeCustomerAsync("cus_globex"), globex.AmountDue, globex.Currency.ToLowerInvariant());
        await s.Payments.DeliverAndProcessAsync();

        var first = await s.ReconcileAsync();
        var open = await s.MismatchesAsync();
        Assert.Equal(2, first.MismatchesOpened);
        Assert.Equal([(MismatchKind.MissingInLedger, outside.ChargeId), (MismatchKind.FeeNotRecorded, attempt.ChargeId!)],
            open.Select(m => (m.Kind, m.SourceId)));
        Assert.Equal((feeTxn.Fee + 25, feeTxn.Fee), (open[1].StripeFee, open[1].LedgerFee));
        Assert.Contains("outside Neruba", open[0].SuggestedAction, StringComparison.Ordinal);

        var second = await s.ReconcileAsync();
        Assert.Equal((0, 2), (second.MismatchesOpened, second.MismatchesStillOpen));
        Assert.Equal(2, (await s.MismatchesAsync(null)).Count);

        var paid = await s.PostEntryAsync(s.Payments.Harness.Admin, open[0].Id, "Customer paid in the Stripe dashboard");
        Assert.True(paid.Succeeded, paid.Message);
        Assert.Equal(MismatchStatus.Resolved, paid.Value!.Mismatch.Status);
        var fee = await s.PostEntryAsync(s.Payments.Harness.Admin, open[1].Id, "Stripe revised its fee");
        Assert.True(fee.Succeeded, fee.Message);
        var twice = await s.PostEntryAsync(s.Payments.Harness.Admin, open[1].Id);
        Assert.Equal(Infrastructure.UseCases.UseCaseStatus.Conflict, twice.Status);

        var due = globex.AmountDue;
        globex = await s.Payments.Billing.InvoiceAsync(s.Payments.Billing.Globex);
        Assert.Equal((InvoiceStatus.Paid, due), (globex.Status, globex.PaidTotal));
        Assert.Equal(outside.ChargeId, await s.Payments.Harness.QueryAsync(db => db.Payments.Where(p => p.InvoiceId == globex.Id).Select(p => p.StripeChargeId).SingleAsync()));
        Assert.Equal(1, await s.Payments.EntriesAsync(EntryKind.ReconciliationAdjustment));
        Assert.Equal(2, await s.Payments.Harness.QueryAsync(db => db.AuditEntries.CountAsync(a => a.TargetType == "reconciliation-mismatch")));

        var third = await s.ReconcileAsync();
        Assert.Empty(await s.MismatchesAsync());
        Assert.Equal((0, 0), (third.MismatchesOpened, third.MismatchesStillOpen));
    }

    [Fact]
    public async Task A_missed_webhook_is_fetched_and_processed_again_and_posts_once_however_often_it_is_reprocessed()
    {
        await using var s = await ReconciliationScenario.StartAsync();
        var acme = await s.Payments.Billing.InvoiceAsync(s.Payments.Billing.Acme);
        var attempt = await s.Payments.CollectAsync(s.Payments.Billing.Acme);
        await s.Payments.RunCollectionAsync(attempt.Id); // Stripe took the money; its webhook never arrives

        await s.ReconcileAsync();
        var missed = Assert.Single(await s.MismatchesAsync());
        Assert.Equal(MismatchKind.MissingInLedger, missed.Kind);
        Assert.Equal(ReconciliationMatcher.Reprocess, missed.SuggestedAction);
        var posted = await s.PostEntryAsync(s.Payments.Harness.Admin, missed.Id);
        Assert.Equal(Infrastructure.UseCases.UseCaseStatus.Conflict, posted.Status);
        Assert.Contains("re-process", posted.Message, StringComparison.Ordinal);
        var first = await s.Payments.Harness.RunAsync<ReprocessMismatch, ReprocessMismatch.Request, MismatchActionResult>(s.Payments.Harness.Admin, new(missed.Id));
        Assert.True(first.Succeeded, first.Message);

        await s.ReconcileAsync(); // before the job processed it: still missing, raised once more
        var again = Assert.Single(await s.MismatchesAsync());
        Assert.NotEqual(missed.Id, again.Id);
        var second = await s.Payments.Harness.RunAsync<ReprocessMismatch, ReprocessMismatch.Request, MismatchActionResult>(s.Payments.Harness.Admin, new(again.Id));
        Assert.True(second.Succeeded, second.Message);
        await s.Payments.ProcessAsync();

        Assert.Equal(1, await s.Payments.EntriesAsync(EntryKind.Payment));
        Assert.Equal(InvoiceStatus.Paid, (await s.Payments.Billing.InvoiceAsync(s.Payments.Billing.Acme)).Status);
        var synthetic = await s.Payments.Harness.QueryAsync(db => db.StripeEvents.Where(e => e.StripeEventId.StartsWith("reconcile:")).Select(e => e.StripeEventId).ToListAsync());
        Assert.Equal(2, synthetic.Count);
        var intent = (await s.Payments.AttemptsAsync(acme.Id)).Single().PaymentIntentId!;
        await s.Payments.Service<Infrastructure.Payments.Fees.StripeFeeJob>().RecordAsync(s.Payments.Harness.ProjectId, intent, CancellationToken.None);

        var clean = await s.ReconcileAsync();
        Assert.Empty(await s.MismatchesAsync());
        Assert.Equal(0, clean.MismatchesOpened);
        Assert.Equal(MismatchStatus.Reprocessed, (await s.MismatchesAsync(MismatchStatus.Reprocessed)).First().Status);
    }

    [Fact]
    public async Task An_entry_above_the_threshold_waits_for_another_Finance_member_and_its_requester_cannot_approve_with_their_key()
    {
        await using var s = await ReconciliationScenario.StartAsync();
        var finance = await s.Payments.Harness.AddPersonAsync("finance@example.test", ProjectRole.Finance);
        var acme = await s.Payments.Billing.InvoiceAsync(s.Payments.Billing.Acme);
        var walletBefore = await s.Payments.Billing.BalanceAsync(AccountKind.CustomerWallet, acme.CustomerId);
        s.Payments.Fake.RecordOutsidePayment(await s.StripeCustomerAsync("cus_acme"), 60_000, acme.Currency.ToLowerInvariant());
        await s.ReconcileAsync();
        var mismatch = Assert.Single(await s.MismatchesAsync());

        var asked = await s.PostEntryAsync(finance, mismatch.Id, "Paid by wire through Stripe");
        Assert.True(asked.Succeeded, asked.Message);
        Assert.True(asked.Value!.Mismatch.WaitsForApproval);
        Assert.Equal(0, await s.Payments.EntriesAsync(EntryKind.Payment));
        var ownKey = Infrastructure.UseCases.Actor.Key(Guid.NewGuid(), "finance key", s.Payments.Harness.ProjectId, [ApiScopes.BillingWrite], finance.Id);
        Assert.Equal(Infrastructure.UseCases.UseCaseStatus.Forbidden, (await s.PostEntryAsync(ownKey, mismatch.Id, "me again")).Status);
        Assert.Equal(Infrastructure.UseCases.UseCaseStatus.Forbidden, (await s.PostEntryAsync(finance, mismatch.Id, "me again")).Status);

        var approved = await s.PostEntryAsync(s.Payments.Harness.Admin, mismatch.Id, "Checked the wire");
        Assert.True(approved.Succeeded, approved.Message);
        Assert.Equal(MismatchStatus.Resolved, approved.Value!.Mismatch.Status);
        Assert.Equal(InvoiceStatus.Paid, (await s.Payments.Billing.InvoiceAsync(s.Payments.Billing.Acme)).Status);
        Assert.Equal(walletBefore - (60_000 - acme.AmountDue), await s.Payments.Billing.BalanceAsync(AccountKind.CustomerWallet, acme.CustomerId));
        Assert.Empty(await s.MismatchesAsync());
    }
}
