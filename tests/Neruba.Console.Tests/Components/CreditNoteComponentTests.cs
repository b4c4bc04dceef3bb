using Bunit;
using Neruba.Console.Components.Pages.CreditNotes;
using Neruba.Console.Components.Pages.Documents;
using Neruba.Console.Documents;
using Neruba.Console.Tests.Documents;
using Neruba.Domain.Access;
using Neruba.Infrastructure.Access;
using Neruba.Infrastructure.Billing.Corrections;
using Neruba.Infrastructure.Billing.Documents;

namespace Neruba.Console.Tests.Components;

/// <summary>The credit note page and the printable sheet, rendered from their data.</summary>
public class CreditNoteComponentTests : MudTestContext
{
    private static readonly Guid ProjectId = Guid.NewGuid();

    private static CreditNoteDetails Note(CreditNoteVoid? voided = null) => new(
        new CreditNoteSummary(Guid.NewGuid(), "CN-000004", Guid.NewGuid(), "INV-000012", Guid.NewGuid(), "Acme Analytics", "cus_acme",
            voided is null ? CreditNoteStatus.Issued : CreditNoteStatus.Void, "product_unsatisfactory", "JPY", 1500, 1000, 200, 300,
            new DateTimeOffset(2026, 10, 5, 9, 0, 0, TimeSpan.Zero)),
        "ap@acme.example", [new CreditNoteLine(0, "Starter base fee", 0.5m, 1500, "Half the month was unusable")], "Outage on the 3rd.",
        "finance@example.test", "approver@example.test", null, voided);

    private IRenderedComponent<CreditNoteView> RenderNote(CreditNoteDetails note)
    {
        var access = new ProjectAccess("user-1", new ProjectMembershipView(ProjectId, "Demo", ProjectRole.Finance, "UTC"), []);
        return Render<CreditNoteView>(p => p.Add(c => c.Note, note).AddCascadingValue(access));
    }

    [Fact]
    public void The_page_shows_why_where_the_money_went_who_issued_it_and_links_to_invoice_customer_and_pdf()
    {
        var note = Note();

        var page = RenderNote(note);

        Assert.Equal("CN-000004", page.Find("[data-testid=credit-note-number]").TextContent);
        Assert.Equal("Issued", page.Find("[data-testid=credit-note-status]").TextContent.Trim());
        Assert.Equal("Product unsatisfactory", page.Find("[data-testid=credit-note-reason]").TextContent);
        Assert.Equal($"/invoices/{note.Summary.InvoiceId}", page.Find("[data-testid=credit-note-invoice]").GetAttribute("href"));
        Assert.Equal($"/customers/{note.Summary.CustomerId}", page.Find("[data-testid=credit-note-customer]").GetAttribute("href"));
        var allocation = page.Find("[data-testid=credit-note-allocation]").TextContent;
        Assert.Contains("1,000 JPY", allocation, StringComparison.Ordinal);
        Assert.Contains("300 JPY", allocation, StringComparison.Ordinal);
        Assert.Equal("1,500 JPY", page.Find("[data-testid=credit-note-total]").TextContent.Trim());
        Assert.Contains("approved by approver@example.test", page.Markup, StringComparison.Ordinal);
        Assert.Equal($"/credit-notes/{note.Summary.Id}/pdf?project={ProjectId:D}", page.Find("[data-testid=document-pdf]").GetAttribute("href"));
        Assert.Empty(page.FindAll("[data-testid=credit-note-void]"));
    }

    [Fact]
    public void A_void_note_says_who_voided_it_and_why()
    {
        var page = RenderNote(Note(new CreditNoteVoid(new DateTimeOffset(2026, 10, 6, 9, 0, 0, TimeSpan.Zero), "finance@example.test", "Wrong invoice.")));

        Assert.Equal("Void", page.Find("[data-testid=credit-note-status]").TextContent.Trim());
        Assert.Contains("Wrong invoice.", page.Find("[data-testid=credit-note-void]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void The_printable_sheet_carries_the_same_words_as_the_pdf()
    {
        var sheet = DocumentSheet.From(DocumentPdfTests.Invoice(2, isVoid: true, relation: DocumentRelation.SupplementOf));

        var view = Render<DocumentSheetView>(p => p.Add(c => c.Sheet, sheet));

        Assert.Equal("INV-000012", view.Find("[data-testid=document-number]").TextContent);
        Assert.Equal("Supplemental invoice for INV-000007", view.Find("[data-testid=document-relation]").TextContent);
        Assert.Equal("VOID", view.Find("[data-testid=document-void]").TextContent);
        Assert.Contains("Amount due", view.Find("[data-testid=document-totals]").TextContent, StringComparison.Ordinal);
        Assert.Contains(DocumentSheet.TaxNote, view.Markup, StringComparison.Ordinal);
    }
}
