using Neruba.Infrastructure.Billing.Corrections;
using Neruba.Infrastructure.Billing.Documents;
using Neruba.Infrastructure.Tests.Support;
using Neruba.Infrastructure.UseCases;
using Neruba.Tests.Shared;
using SortField = Neruba.Infrastructure.Billing.Corrections.ListCreditNotes.SortField;

namespace Neruba.Infrastructure.Tests.Billing;

/// <summary>Credit notes are listed, filtered and read in the database, only ever the project's own.</summary>
public class CreditNoteQueryTests
{
    private static Task<PageOf<CreditNoteSummary>> List(UseCaseHarness harness, ListCreditNotes.Request request) =>
        harness.ValueAsync<ListCreditNotes, ListCreditNotes.Request, PageOf<CreditNoteSummary>>(request);

    /// <summary>Two customers' invoices (INV-000001 Acme, INV-000002 Globex); three notes, the second voided and issued a month later.</summary>
    private static async Task<UseCaseHarness> SeededAsync()
    {
        var harness = await UseCaseHarness.StartAsync();
        await harness.QueryAsync(async db =>
        {
            var acme = await DocumentSeed.CustomerAsync(db, harness.ProjectId, "cn_acme", "Acme Analytics");
            var globex = await DocumentSeed.CustomerAsync(db, harness.ProjectId, "cn_globex", "Globex Logistics");
            var first = await DocumentSeed.InvoiceAsync(db, harness.ProjectId, acme, 1);
            var second = await DocumentSeed.InvoiceAsync(db, harness.ProjectId, globex, 2);
            await DocumentSeed.CreditNoteAsync(db, first, 1, toDue: 1000);
            var voided = await DocumentSeed.CreditNoteAsync(db, first, 2, toDue: 500, toWallet: 200, reasonCode: "goodwill",
                issuedAt: DocumentSeed.FinalizedAt.AddMonths(1));
            await DocumentSeed.VoidAsync(db, voided, DocumentSeed.FinalizedAt.AddMonths(1).AddDays(1), "Issued against the wrong invoice.");
            await DocumentSeed.CreditNoteAsync(db, second, 3, toDue: 300);
            return 0;
        });
        return harness;
    }

    [Fact]
    public async Task Filters_by_status_customer_invoice_reason_and_month_combine()
    {
        await using var harness = await SeededAsync();

        Assert.Equal(3, (await List(harness, new(null, null, null, null, null, 0, 25))).Total);
        Assert.Equal(["CN-000002"], (await List(harness, new(CreditNoteStatus.Void, null, null, null, null, 0, 25))).Items.Select(n => n.Number));
        Assert.Equal(["CN-000003"], (await List(harness, new(null, "cn_globex", null, null, null, 0, 25))).Items.Select(n => n.Number));
        Assert.Equal(2, (await List(harness, new(null, null, "INV-000001", null, null, 0, 25))).Total);
        Assert.Equal(["CN-000002"], (await List(harness, new(null, null, null, "goodwill", null, 0, 25))).Items.Select(n => n.Number));
        var october = await List(harness, new(null, null, null, null, new DateOnly(2026, 10, 1), 0, 25, SortField.Number, Descending: false));
        Assert.Equal(["CN-000001", "CN-000003"], october.Items.Select(n => n.Number));
    }

    [Fact]
    public async Task Sorting_by_total_pages_stably_and_names_invoice_and_customer()
    {
        await using var harness = await SeededAsync();

        var top = await List(harness, new(null, null, null, null, null, 0, 1, SortField.Total, Descending: true));
        var next = await List(harness, new(null, null, null, null, null, 1, 1, SortField.Total, Descending: true));

        var largest = Assert.Single(top.Items);
        Assert.Equal(("CN-000001", "INV-000001", "Acme Analytics", 1000L), (largest.Number, largest.InvoiceNumber, largest.CustomerName, largest.Total));
        Assert.Equal((700L, 500L, 200L), (Assert.Single(next.Items).Total, next.Items[0].ToDue, next.Items[0].ToWallet));
    }

    [Fact]
    public async Task One_note_is_read_by_number_with_its_lines_and_void_and_an_unknown_invoice_is_not_found()
    {
        await using var harness = await SeededAsync();

        var note = await harness.ValueAsync<GetCreditNote, GetCreditNote.Request, CreditNoteDetails>(new("cn-000002"));
        var unknown = await harness.RunAsync<ListCreditNotes, ListCreditNotes.Request, PageOf<CreditNoteSummary>>(harness.Admin,
            new(null, null, "INV-000099", null, null, 0, 25));

        Assert.Equal(("goodwill", "cn_acme@billing.example"), (note.Summary.ReasonCode, note.CustomerEmail));
        Assert.Equal("Issued against the wrong invoice.", note.Void?.Reason);
        Assert.Equal(700, Assert.Single(note.Lines).Amount);
        Assert.Equal(UseCaseStatus.NotFound, unknown.Status);
    }

    [Fact]
    public async Task Another_projects_credit_notes_and_documents_are_not_found()
    {
        await using var harness = await SeededAsync();
        var elsewhere = await harness.AdminOfAnotherProjectAsync();
        var noteId = (await List(harness, new(null, null, null, null, null, 0, 1))).Items[0].Id;

        var list = await harness.ValueAsync<ListCreditNotes, ListCreditNotes.Request, PageOf<CreditNoteSummary>>(new(null, null, null, null, null, 0, 25), elsewhere);
        var one = await harness.RunAsync<GetCreditNote, GetCreditNote.Request, CreditNoteDetails>(elsewhere, new(noteId.ToString()));
        var document = await harness.RunAsync<GetBillingDocument, GetBillingDocument.Request, BillingDocument>(elsewhere,
            new(DocumentKind.CreditNote, noteId.ToString()));

        Assert.Equal(0, list.Total);
        Assert.Equal(UseCaseStatus.NotFound, one.Status);
        Assert.Equal(UseCaseStatus.NotFound, document.Status);
    }

    [Fact]
    public async Task An_invoice_document_prints_the_project_name_when_no_seller_is_set_and_its_running_figures()
    {
        await using var harness = await SeededAsync();

        var document = await harness.ValueAsync<GetBillingDocument, GetBillingDocument.Request, BillingDocument>(new(DocumentKind.Invoice, "INV-000001"));

        Assert.Equal(await harness.QueryAsync(db => Task.FromResult(db.Projects.Single().Name)), document.Seller.Name);
        Assert.Equal(new InvoiceFigures(5147, 0, 1000, 0, 0, 4147), document.Invoice);
        Assert.Equal(("Acme Analytics", "cn_acme"), (document.Customer.Name, document.Customer.Reference));
        Assert.Equal(DocumentRelation.None, document.Relation);
    }
}
