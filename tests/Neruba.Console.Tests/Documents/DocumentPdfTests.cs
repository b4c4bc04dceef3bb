using System.Text;
using Neruba.Console.Documents;
using Neruba.Infrastructure.Billing.Documents;
using PdfSharp.Pdf.Content;
using PdfSharp.Pdf.Content.Objects;
using PdfSharp.Pdf.IO;

namespace Neruba.Console.Tests.Documents;

/// <summary>Invoices and credit notes rendered with PDFsharp, opened again and read back.</summary>
public class DocumentPdfTests
{
    private static readonly DateTimeOffset Issued = new(2026, 10, 1, 23, 30, 0, TimeSpan.Zero);

    public static BillingDocument Invoice(int lines, bool isVoid = false, DocumentRelation relation = DocumentRelation.None) => new(
        DocumentKind.Invoice, Guid.NewGuid(), "INV-000012",
        new DocumentParty("Neruba Labs GmbH", "Hauptstraße 1\n10115 Berlin", "billing@neruba.example", "DE123456789"),
        new DocumentParty("Acme Analytics", "", "ap@acme.example", "cus_acme"), "USD", "Europe/Berlin", Issued,
        new DateTimeOffset(2026, 9, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero),
        [.. Enumerable.Range(1, lines).Select(i => new DocumentLine($"Requests, tier {i}", 1234.5m, 0.002m, 247))], isVoid,
        relation, relation == DocumentRelation.None ? null : "INV-000007",
        new InvoiceFigures(247L * lines, 100, 41, 500, 0, 247L * lines - 641), null);

    private static BillingDocument CreditNote(bool isVoid) => new(
        DocumentKind.CreditNote, Guid.NewGuid(), "CN-000003", new DocumentParty("Demo project", "", "", ""),
        new DocumentParty("Ελληνική Εταιρεία", "", "", "cus_gr"), "KWD", "UTC", Issued, Issued.AddDays(-30), Issued.AddDays(1),
        [new DocumentLine("Goodwill for the outage", null, null, 12345)], isVoid, DocumentRelation.Credits, "INV-000012", null,
        new CreditNoteFigures(12345, 10000, 0, 2345));

    /// <summary>Every string a page's content stream shows, in order.</summary>
    private static List<string> TextOf(byte[] pdf, out int pages)
    {
        using var document = PdfReader.Open(new MemoryStream(pdf), PdfDocumentOpenMode.Import);
        pages = document.PageCount;
        var strings = new List<string>();
        foreach (var page in document.Pages)
        {
            Collect(ContentReader.ReadContent(page), strings);
        }

        return strings;
    }

    private static void Collect(CObject content, List<string> strings)
    {
        switch (content)
        {
            case CString text:
                strings.Add(text.Value);
                break;
            case COperator op:
                foreach (var operand in op.Operands)
                {
                    Collect(operand, strings);
                }

                break;
            case CSequence sequence:
                foreach (var item in sequence)
                {
                    Collect(item, strings);
                }

                break;
        }
    }

    [Fact]
    public void An_invoice_is_a_pdf_with_its_number_seller_dates_in_the_project_zone_and_formatted_totals()
    {
        var pdf = DocumentPdf.Render(DocumentSheet.From(Invoice(3)), Issued);

        Assert.Equal("%PDF-", Encoding.ASCII.GetString(pdf, 0, 5));
        var text = TextOf(pdf, out var pages);
        Assert.Equal(1, pages);
        Assert.Contains("INV-000012", text);
        Assert.Contains("DE123456789", string.Join('|', text), StringComparison.Ordinal);
        Assert.Contains("2026-10-02", text); // 23:30 UTC is the next day in Berlin
        Assert.Contains("7.41 USD", text);   // subtotal: 3 × 2.47
        Assert.Contains("-0.41 USD", text);  // credit notes
        Assert.Contains("-5.00 USD", text);  // payments
        Assert.Contains("1.00 USD", text);   // amount due: 7.41 − 1.00 − 0.41 − 5.00
        Assert.Contains("0.002\u00a0USD", text);
        Assert.Contains(DocumentSheet.TaxNote, text);
        Assert.DoesNotContain("VOID", text);
    }

    [Fact]
    public void Lines_that_overflow_continue_on_more_pages_with_the_headings_again()
    {
        var text = TextOf(DocumentPdf.Render(DocumentSheet.From(Invoice(120)), Issued), out var pages);

        Assert.True(pages >= 3, $"{pages} pages");
        Assert.Equal(pages, text.Count(t => t == "Unit price"));
        Assert.Contains($"INV-000012 · page {pages} of {pages}", string.Join('|', text), StringComparison.Ordinal);
        Assert.Contains("Requests, tier 120", text);
    }

    [Fact]
    public void A_void_credit_note_says_so_with_its_allocation_in_the_currencys_exponent()
    {
        var text = TextOf(DocumentPdf.Render(DocumentSheet.From(CreditNote(isVoid: true)), Issued), out var pages);

        Assert.Equal(1, pages);
        Assert.Contains("CN-000003", text);
        Assert.Contains("VOID", text);
        Assert.Contains("Credit note for invoice INV-000012", text);
        Assert.Contains("12.345 KWD", text);
        Assert.Contains("2.345 KWD", text);
    }

    [Theory]
    [InlineData(DocumentRelation.SupplementOf, "Supplemental invoice for INV-000007")]
    [InlineData(DocumentRelation.Replaces, "Replaces INV-000007")]
    public void A_correcting_invoice_names_the_one_it_corrects(DocumentRelation relation, string line)
    {
        var text = TextOf(DocumentPdf.Render(DocumentSheet.From(Invoice(1, relation: relation)), Issued), out _);

        Assert.Contains(line, text);
    }

    [Fact]
    public void The_same_document_renders_to_the_same_pages()
    {
        var document = Invoice(5);

        var first = DocumentPdf.Render(DocumentSheet.From(document), Issued);
        var second = DocumentPdf.Render(DocumentSheet.From(document), Issued);

        // Same pages, words and dates; PDFsharp itself names the embedded font subset and the file's id at random, so the bytes differ there.
        Assert.Equal(TextOf(first, out _), TextOf(second, out _));
        using var reopened = PdfReader.Open(new MemoryStream(first), PdfDocumentOpenMode.Import);
        Assert.Equal(Issued.UtcDateTime, reopened.Info.CreationDate.ToUniversalTime());
    }
}
