using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Billing.Corrections;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Metering;
using Neruba.Infrastructure.Tests.Metering;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Tests.Corrections;

/// <summary>Voids, reissues, payments and write-offs against a real SQLite ledger.</summary>
public class VoidAndReissueTests
{
    [Fact]
    public async Task Voiding_puts_the_consumed_credit_back_into_the_exact_blocks_with_their_expiry_and_clears_the_receivable()
    {
        var s = await CorrectionScenario.StartAsync();
        await using var _ = s.Harness;
        var invoice = await s.InvoiceAsync(s.Acme);
        var drawn = Assert.Single(invoice.Draft.Credits);
        var before = await s.BlocksAsync(invoice.CustomerId);
        var expiry = await s.Harness.QueryAsync(db => db.CreditBlocks.Where(b => b.Id == drawn.BlockId).Select(b => b.ExpiresAt).SingleAsync());

        var voided = await s.Harness.RunAsync<VoidInvoice, VoidInvoice.Request, InvoiceSummaryState>(s.Harness.Admin, new(s.Acme, "Billed the wrong plan"));

        Assert.True(voided.Succeeded, voided.Message);
        Assert.Equal((InvoiceStatus.Void, 0L), (voided.Value!.Status, voided.Value.AmountDue));
        var after = await s.BlocksAsync(invoice.CustomerId);
        Assert.Equal(before[drawn.BlockId] + 500, after[drawn.BlockId]);
        Assert.Equal(before.Where(b => b.Key != drawn.BlockId), after.Where(b => b.Key != drawn.BlockId));
        Assert.Equal(expiry, await s.Harness.QueryAsync(db => db.CreditBlocks.Where(b => b.Id == drawn.BlockId).Select(b => b.ExpiresAt).SingleAsync()));
        Assert.Equal(0, await s.BalanceAsync(AccountKind.CustomerReceivable, invoice.CustomerId));
        Assert.Equal(2, await s.Harness.QueryAsync(db => db.JournalEntries.CountAsync(e => e.Kind == EntryKind.Reversal)));
        Assert.Equal(5050, (await s.InvoiceAsync(s.Acme)).Subtotal);
    }

    [Fact]
    public async Task A_paid_or_credited_invoice_cannot_be_voided_and_a_second_void_is_refused()
    {
        var s = await CorrectionScenario.StartAsync();
        await using var _ = s.Harness;
        Assert.True((await s.PayAsync(s.Acme, "10.00")).Succeeded);
        Assert.True((await s.CreditAsync(s.Globex, flat: "1.00")).Succeeded);

        var paid = await s.Harness.RunAsync<VoidInvoice, VoidInvoice.Request, InvoiceSummaryState>(s.Harness.Admin, new(s.Acme, "x"));
        var credited = await s.Harness.RunAsync<VoidInvoice, VoidInvoice.Request, InvoiceSummaryState>(s.Harness.Admin, new(s.Globex, "x"));

        Assert.Equal($"10.00 USD was paid on {s.Acme}, so it cannot be voided: issue a credit note instead.", paid.Message);
        Assert.Equal($"{s.Globex} has credit notes (CN-000001); void them first, or credit the rest instead.", credited.Message);
        Assert.Equal(0, await s.Harness.QueryAsync(db => db.JournalEntries.CountAsync(e => e.Kind == EntryKind.Reversal)));
    }

    [Fact]
    public async Task Void_and_reissue_recomputes_with_late_events_links_both_invoices_and_clears_the_backlog()
    {
        var s = await CorrectionScenario.StartAsync();
        await using var _ = s.Harness;
        var at = s.LastMonth.AddDays(9).ToString("O");
        await IngestStoreTests.IngestAsync(s.Harness, [.. Enumerable.Range(1, 50).Select(i => new IncomingEvent($"late{i}", "cus_acme", "api_calls", at, null))]);
        Assert.Equal(50, (await s.Harness.QueryAsync(db => LateUsage.BacklogAsync(db, s.Harness.ProjectId, CancellationToken.None))).Sum(r => r.LateEvents));

        var result = await s.Harness.RunAsync<VoidAndReissueInvoice, VoidAndReissueInvoice.Request, InvoiceReissued>(s.Harness.Admin,
            new(s.Acme, "Late usage", Recompute: true, null));

        Assert.True(result.Succeeded, result.Message);
        var reissue = await s.InvoiceAsync(result.Value!.Reissue.Number);
        var voided = await s.InvoiceAsync(s.Acme);
        Assert.Equal((InvoiceKind.Reissue, voided.Id, 1), (reissue.Kind, reissue.CorrectsInvoiceId, reissue.Revision));
        Assert.Equal(reissue.Id, voided.ReplacedByInvoiceId);

        // 300 used: 49.00 + 2.00; the same 5.00 of plan credit, restored by the void, pays part of it again.
        Assert.Equal((5100L, 500L, 4600L), (reissue.Subtotal, reissue.CreditsApplied, reissue.AmountDue));
        Assert.Equal(4600, await s.BalanceAsync(AccountKind.CustomerReceivable, reissue.CustomerId));
        Assert.Empty(await s.Harness.QueryAsync(db => LateUsage.BacklogAsync(db, s.Harness.ProjectId, CancellationToken.None)));
    }

    [Fact]
    public async Task Void_and_reissue_with_a_line_adjustment_keeps_the_other_lines_and_explains_the_change()
    {
        var s = await CorrectionScenario.StartAsync();
        await using var _ = s.Harness;

        var result = await s.Harness.RunAsync<VoidAndReissueInvoice, VoidAndReissueInvoice.Request, InvoiceReissued>(s.Harness.Admin,
            new(s.Acme, "Agreed discount", Recompute: false, [new LineAdjustmentInput(0, "39.00", null, "Discount agreed on the phone")]));

        Assert.True(result.Succeeded, result.Message);
        var reissue = await s.InvoiceAsync(result.Value!.Reissue.Number);
        Assert.Equal([3900L, 150L], reissue.Draft.Lines.Select(l => l.Amount));
        Assert.EndsWith("Adjusted on reissue by admin@example.test: Discount agreed on the phone (was 49.00 USD)", reissue.Draft.Lines[0].Explanation, StringComparison.Ordinal);
        Assert.Equal((4050L, 500L, 3550L), (reissue.Subtotal, reissue.CreditsApplied, reissue.AmountDue));
    }

    [Fact]
    public async Task Payments_settle_an_invoice_refuse_overpayment_and_the_same_reference_and_a_write_off_clears_the_rest()
    {
        var s = await CorrectionScenario.StartAsync();
        await using var _ = s.Harness;

        var part = await s.PayAsync(s.Acme, "40.00", "TRX-1");
        var again = await s.PayAsync(s.Acme, "1.00", "TRX-1");
        var over = await s.PayAsync(s.Acme, "6.00", "TRX-2");
        var writeOff = await s.Harness.RunAsync<MarkInvoiceUncollectible, MarkInvoiceUncollectible.Request, InvoiceSummaryState>(s.Harness.Admin,
            new(s.Acme, "Customer went bankrupt"));
        var rest = await s.PayAsync(s.Globex, "44.00", "TRX-3");

        Assert.Equal((InvoiceStatus.Finalized, 550L), (part.Value!.InvoiceStatus, part.Value.AmountDueAfter));
        Assert.Equal(UseCaseStatus.Conflict, again.Status);
        Assert.Equal($"Only 5.50 USD is due on {s.Acme}; record at most that.", over.Message);
        Assert.Equal((InvoiceStatus.Uncollectible, 0L, 550L), (writeOff.Value!.Status, writeOff.Value.AmountDue, writeOff.Value.WrittenOffTotal));
        Assert.Equal(550, await s.BalanceAsync(AccountKind.BadDebt, null));
        Assert.Equal((InvoiceStatus.Paid, 0L), (rest.Value!.InvoiceStatus, rest.Value.AmountDueAfter));
        var customer = (await s.InvoiceAsync(s.Acme)).CustomerId;
        Assert.Equal(0, await s.BalanceAsync(AccountKind.CustomerReceivable, customer));
    }
}
