using Neruba.Infrastructure.Billing.Corrections;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Tests.Corrections;

/// <summary>The read side of corrections: an invoice's chain, the corrections lists and a customer's timeline.</summary>
public class CorrectionQueryTests
{
    [Fact]
    public async Task An_invoice_lists_its_credit_notes_payments_and_what_is_left_to_credit_per_line()
    {
        var s = await CorrectionScenario.StartAsync();
        await using var _ = s.Harness;
        Assert.True((await s.CreditAsync(s.Acme, [new LineCreditInput(1, null, "1.00")], flat: "2.00")).Succeeded);
        Assert.True((await s.PayAsync(s.Acme, "10.00", "BANK-77")).Succeeded);

        var chain = (await CorrectionsOfAsync(s, s.Acme)).Value!;

        var note = Assert.Single(chain.CreditNotes);
        Assert.Equal(("CN-000001", s.Acme, 300L, 300L, 0L, 0L, "billing_error"),
            (note.Number, note.InvoiceNumber, note.Total, note.ToDue, note.Refunded, note.ToWallet, note.ReasonCode));
        var payment = Assert.Single(chain.Payments);
        Assert.Equal(("BANK-77", 1000L), (payment.Reference, payment.Amount));
        Assert.Equal((300L, 1000L, 4550L - 300 - 1000, 5050L - 300), (chain.CreditedTotal, chain.PaidTotal, chain.AmountDue, chain.Creditable));
        Assert.Equal((150L, 100L, 50L), (chain.Lines[1].Amount, chain.Lines[1].CreditedAmount, chain.Lines[1].AmountLeft));
        Assert.Equal(0, chain.Lines[0].CreditedAmount);
        Assert.Null(chain.ReplacedBy);
        Assert.Equal(UseCaseStatus.NotFound, (await CorrectionsOfAsync(s, "INV-999999")).Status);
    }

    [Fact]
    public async Task A_reissue_links_both_ways_and_shows_in_the_lists_and_the_customers_timeline()
    {
        var s = await CorrectionScenario.StartAsync();
        await using var _ = s.Harness;
        var reissued = await s.Harness.RunAsync<VoidAndReissueInvoice, VoidAndReissueInvoice.Request, InvoiceReissued>(s.Harness.Admin,
            new(s.Globex, "Wrong plan", true, null));
        Assert.True(reissued.Succeeded, reissued.Message);
        Assert.True((await s.CreditAsync(s.Acme, flat: "1.00")).Succeeded);

        var voided = (await CorrectionsOfAsync(s, s.Globex)).Value!;
        var replacement = (await CorrectionsOfAsync(s, reissued.Value!.Reissue.Number)).Value!;
        var corrected = await s.Harness.RunAsync<ListCorrectedInvoices, ListCorrectedInvoices.Request, PageOf<CorrectedInvoice>>(s.Harness.Admin,
            new(null, null, "cus_globex", 0, 10));
        var onlyVoid = await s.Harness.RunAsync<ListCorrectedInvoices, ListCorrectedInvoices.Request, PageOf<CorrectedInvoice>>(s.Harness.Admin,
            new(InvoiceStatus.Void, null, null, 0, 10));
        var timeline = await s.Harness.RunAsync<GetCustomerCorrections, GetCustomerCorrections.Request, IReadOnlyList<CorrectionEvent>>(s.Harness.Admin,
            new("cus_globex"));
        var notes = await s.Harness.RunAsync<ListCreditNotes, ListCreditNotes.Request, PageOf<CreditNoteSummary>>(s.Harness.Admin,
            new(CreditNoteStatus.Issued, "cus_acme", null, "billing_error", null, 0, 10));
        var otherReason = await s.Harness.RunAsync<ListCreditNotes, ListCreditNotes.Request, PageOf<CreditNoteSummary>>(s.Harness.Admin,
            new(null, null, null, "goodwill", null, 0, 10));

        Assert.Equal((InvoiceStatus.Void, "Wrong plan", reissued.Value.Reissue.Number), (voided.Status, voided.VoidReason, voided.ReplacedBy?.Number));
        Assert.Equal((InvoiceKind.Reissue, s.Globex), (replacement.Kind, replacement.Corrects?.Number));
        Assert.Equal([reissued.Value.Reissue.Number, s.Globex], corrected.Value!.Items.Select(i => i.Invoice.Number));
        Assert.Equal([s.Globex], onlyVoid.Value!.Items.Select(i => i.Invoice.Number));
        Assert.Equal([CorrectionEventKind.InvoiceVoided, CorrectionEventKind.Reissue], timeline.Value!.Select(e => e.Kind).Order());
        Assert.Equal((1, s.Acme), (notes.Value!.Total, notes.Value.Items[0].InvoiceNumber));
        Assert.Equal(0, otherReason.Value!.Total);
    }

    private static Task<UseCaseResult<InvoiceCorrections>> CorrectionsOfAsync(CorrectionScenario s, string invoice) =>
        s.Harness.RunAsync<GetInvoiceCorrections, GetInvoiceCorrections.Request, InvoiceCorrections>(s.Harness.Admin, new(invoice));
}
