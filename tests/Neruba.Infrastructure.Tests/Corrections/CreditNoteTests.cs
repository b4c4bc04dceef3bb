using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Billing.Corrections;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Tests.Corrections;

/// <summary>Credit notes against a real SQLite ledger: allocation order, refusals in words, voiding, races.</summary>
public class CreditNoteTests
{
    [Fact]
    public async Task A_credit_note_on_an_unpaid_invoice_first_reduces_what_is_due_then_fills_the_wallet()
    {
        var s = await CorrectionScenario.StartAsync();
        await using var _ = s.Harness;

        // 45.50 is due on acme's invoice: 47.00 of credit takes all of it, and the remaining 1.50 goes to the wallet.
        var issued = await s.CreditAsync(s.Acme, flat: "47.00");

        Assert.True(issued.Succeeded, issued.Message);
        Assert.Equal(new(4550, 0, 150), issued.Value!.Effect.Allocation);
        var invoice = await s.InvoiceAsync(s.Acme);
        Assert.Equal((InvoiceStatus.Paid, 0L, 4700L, 4550L), (invoice.Status, invoice.AmountDue, invoice.CreditedTotal, invoice.CreditedToDue));
        Assert.Equal(0, await s.BalanceAsync(AccountKind.CustomerReceivable, invoice.CustomerId));
        Assert.Equal(4700, await s.BalanceAsync(AccountKind.SalesCredits, null));
        var block = await s.Harness.QueryAsync(db => db.CreditBlocks.SingleAsync(b => b.Source == CreditSource.CreditNote));
        Assert.Equal((150L, (DateTimeOffset?)null), (block.Amount, block.ExpiresAt));
        Assert.Matches("^CN-000001$", issued.Value.Number);
    }

    [Fact]
    public async Task A_line_of_a_paid_invoice_is_credited_to_the_wallet_and_its_refund_is_capped_by_what_was_paid()
    {
        var s = await CorrectionScenario.StartAsync();
        await using var _ = s.Harness;
        Assert.True((await s.PayAsync(s.Acme, "45.50")).Succeeded);

        var refundedLine = await s.CreditAsync(s.Acme, [new LineCreditInput(1, null, "1.50")], refund: "1.50");
        Assert.True(refundedLine.Succeeded, refundedLine.Message);
        var beyondPaid = await s.CreditAsync(s.Acme, flat: "48.00", refund: "45.00");
        var creditsLine = await s.CreditAsync(s.Acme, [new LineCreditInput(0, null, "10.00")]);

        Assert.Equal(UseCaseStatus.Invalid, beyondPaid.Status);
        Assert.Equal("Only 44.00 USD was paid on this invoice and not yet refunded; the refund part cannot be more.", beyondPaid.Message);
        Assert.True(creditsLine.Succeeded, creditsLine.Message);
        Assert.Equal(new(0, 0, 1000), creditsLine.Value!.Effect.Allocation);
        var invoice = await s.InvoiceAsync(s.Acme);
        Assert.Equal((InvoiceStatus.Paid, 0L, 1150L, 150L, 4550L), (invoice.Status, invoice.AmountDue, invoice.CreditedTotal, invoice.RefundedTotal, invoice.PaidTotal));
        Assert.Equal(4550 - 150, await s.BalanceAsync(AccountKind.BankReceipts, null));
    }

    [Fact]
    public async Task Crediting_beyond_the_total_a_line_or_a_void_invoice_is_refused_in_words_and_changes_nothing()
    {
        var s = await CorrectionScenario.StartAsync();
        await using var _ = s.Harness;
        Assert.True((await s.CreditAsync(s.Acme, flat: "50.00")).Succeeded);

        var beyondTotal = await s.CreditAsync(s.Acme, flat: "1.00");
        var beyondLine = await s.CreditAsync(s.Globex, [new LineCreditInput(0, null, "49.01")]);
        var noSuchLine = await s.CreditAsync(s.Globex, [new LineCreditInput(7, null, "1.00")]);
        Assert.True((await s.Harness.RunAsync<VoidInvoice, VoidInvoice.Request, InvoiceSummaryState>(s.Harness.Admin, new(s.Globex, "Wrong customer"))).Succeeded);
        var onVoid = await s.CreditAsync(s.Globex, flat: "1.00");

        Assert.Equal("This credits 1.00 USD, but only 0.50 USD of the invoice's 50.50 USD is left to credit: earlier credit notes took 50.00 USD.", beyondTotal.Message);
        Assert.Equal("Line 1 ('Base fee, Pro v1, " + s.LastMonth.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture)
            + " (in arrears)') has 49.00 USD left to credit; this credits 49.01 USD.", beyondLine.Message);
        Assert.Contains("has no line 8", noSuchLine.Message, StringComparison.Ordinal);
        Assert.Equal(UseCaseStatus.Conflict, onVoid.Status);
        Assert.Contains("is void", onVoid.Message, StringComparison.Ordinal);
        Assert.Equal(1, await s.Harness.QueryAsync(db => db.CreditNotes.CountAsync()));
    }

    [Fact]
    public async Task A_line_credited_by_quantity_in_parts_sums_to_exactly_its_amount()
    {
        var s = await CorrectionScenario.StartAsync();
        await using var _ = s.Harness;

        // acme's usage line: 150 billable at 0.01 = 1.50. 100 units, then 49, then the last one.
        var first = await s.CreditAsync(s.Acme, [new LineCreditInput(1, "100", null)]);
        var second = await s.CreditAsync(s.Acme, [new LineCreditInput(1, "49", null)]);
        var beyond = await s.CreditAsync(s.Acme, [new LineCreditInput(1, "2", null)]);
        var last = await s.CreditAsync(s.Acme, [new LineCreditInput(1, "1", null)]);

        Assert.Equal([100L, 49L, 1L], new[] { first, second, last }.Select(r => r.Value!.Effect.Total));
        Assert.Equal("Line 2: 'api_calls, Pro v1' has 1 of 150 units left to credit.", beyond.Message);
        Assert.Equal(150, (await s.InvoiceAsync(s.Acme)).CreditedTotal);
    }

    [Fact]
    public async Task Two_finance_members_crediting_the_last_of_an_invoice_at_once_cannot_both_succeed()
    {
        var s = await CorrectionScenario.StartAsync();
        await using var _ = s.Harness;
        var other = await s.Harness.AddPersonAsync("fin2@example.com", Domain.Access.ProjectRole.Finance);

        var results = await Task.WhenAll(s.CreditAsync(s.Acme, flat: "30.00"), s.CreditAsync(s.Acme, flat: "30.00", actor: other));

        Assert.Single(results, r => r.Succeeded);
        Assert.Single(results, r => !r.Succeeded && r.Message!.Contains("left to credit", StringComparison.Ordinal));
        Assert.Equal(3000, (await s.InvoiceAsync(s.Acme)).CreditedTotal);
    }

    [Fact]
    public async Task A_credit_note_can_be_voided_while_its_wallet_credit_is_unused_and_never_after()
    {
        var s = await CorrectionScenario.StartAsync();
        await using var _ = s.Harness;
        var first = (await s.CreditAsync(s.Acme, flat: "47.00")).Value!;
        var voided = await s.Harness.RunAsync<VoidCreditNote, VoidCreditNote.Request, InvoiceSummaryState>(s.Harness.Admin, new(first.Number, "Wrong invoice"));
        Assert.True(voided.Succeeded, voided.Message);
        Assert.Equal((InvoiceStatus.Finalized, 4550L, 0L), (voided.Value!.Status, voided.Value.AmountDue, voided.Value.CreditedTotal));

        var second = (await s.CreditAsync(s.Acme, flat: "47.00")).Value!;
        var invoice = await s.InvoiceAsync(s.Acme);
        var spent = await s.Harness.Services.GetRequiredService<Infrastructure.Ledger.WalletWriter>().ConsumeAsync(
            new PostingContext(s.Harness.ProjectId, "spend-1", s.Harness.Clock.GetUtcNow(), Domain.Audit.ActorKind.System, "t", "t", "spend"),
            invoice.CustomerId, "USD", 600, null);
        Assert.NotNull(spent.Entry);
        var refused = await s.Harness.RunAsync<VoidCreditNote, VoidCreditNote.Request, InvoiceSummaryState>(s.Harness.Admin, new(second.Number, "Too late"));

        Assert.Equal(UseCaseStatus.Conflict, refused.Status);
        Assert.Contains("has been used", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await s.InvoiceAsync(s.Acme)).AmountDue);
    }

    [Fact]
    public async Task Another_projects_invoice_cannot_be_credited_paid_or_voided()
    {
        var s = await CorrectionScenario.StartAsync();
        await using var _ = s.Harness;
        var stranger = await s.Harness.AdminOfAnotherProjectAsync();

        var credit = await s.CreditAsync(s.Acme, flat: "1.00", actor: stranger);
        var pay = await s.Harness.RunAsync<RecordPayment, RecordPayment.Request, PaymentView>(stranger, new(s.Acme, "1.00", new DateOnly(2026, 1, 1), "X"));
        var invoiceId = (await s.InvoiceAsync(s.Acme)).Id.ToString();
        var @void = await s.Harness.RunAsync<VoidInvoice, VoidInvoice.Request, InvoiceSummaryState>(stranger, new(invoiceId, "Mine now"));

        Assert.All(new[] { credit.Status, pay.Status, @void.Status }, status => Assert.Equal(UseCaseStatus.NotFound, status));
        Assert.Equal(4550, (await s.InvoiceAsync(s.Acme)).AmountDue);
    }
}
