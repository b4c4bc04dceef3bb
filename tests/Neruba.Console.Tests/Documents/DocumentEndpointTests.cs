using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Neruba.Console.Tests.Support;
using Neruba.Domain.Access;
using Neruba.Infrastructure.Billing.Corrections;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Persistence;
using Neruba.Tests.Shared;

namespace Neruba.Console.Tests.Documents;

/// <summary>The PDF downloads and print pages over real HTTP: members of the project get them, nobody else does.</summary>
public sealed class DocumentEndpointTests : IDisposable
{
    private readonly ConsoleAppFactory _app = new();

    public void Dispose() => _app.Dispose();

    /// <summary>An invoice and a credit note in the demo project, and an invoice and note in another project.</summary>
    public static async Task<(InvoiceRecord Invoice, CreditNoteRecord Note, InvoiceRecord OtherInvoice, CreditNoteRecord OtherNote)> SeedAsync(ConsoleAppFactory app)
    {
        var demoId = await app.DemoProjectIdAsync();
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NerubaDbContext>();
        var other = new Project(Guid.NewGuid(), "Other project", "other-docs", "USD", "UTC", DocumentSeed.PeriodStart);
        db.Projects.Add(other);
        await db.SaveChangesAsync();
        var invoice = await DocumentSeed.InvoiceAsync(db, demoId, await DocumentSeed.CustomerAsync(db, demoId, "doc_acme", "Acme Documents"), 12);
        var note = await DocumentSeed.CreditNoteAsync(db, invoice, 1, toDue: 1000, toWallet: 47);
        var otherInvoice = await DocumentSeed.InvoiceAsync(db, other.Id, await DocumentSeed.CustomerAsync(db, other.Id, "doc_other", "Other Customer"), 1);
        var otherNote = await DocumentSeed.CreditNoteAsync(db, otherInvoice, 1, toDue: 100);
        return (invoice, note, otherInvoice, otherNote);
    }

    [Fact]
    public async Task A_member_downloads_the_invoice_and_credit_note_as_named_pdf_attachments()
    {
        var (invoice, note, _, _) = await SeedAsync(_app);
        using var viewer = await _app.SignedInMemberAsync("viewer@example.test", ProjectRole.Viewer);

        using var invoicePdf = await viewer.GetAsync(new Uri($"/invoices/{invoice.Id}/pdf", UriKind.Relative));
        using var notePdf = await viewer.GetAsync(new Uri($"/credit-notes/{note.Id}/pdf", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, invoicePdf.StatusCode);
        Assert.Equal("application/pdf", invoicePdf.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", invoicePdf.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("INV-000012.pdf", invoicePdf.Content.Headers.ContentDisposition?.FileNameStar ?? invoicePdf.Content.Headers.ContentDisposition?.FileName);
        Assert.Equal("%PDF-", Encoding.ASCII.GetString((await invoicePdf.Content.ReadAsByteArrayAsync())[..5]));
        Assert.Equal(HttpStatusCode.OK, notePdf.StatusCode);
        Assert.Equal("CN-000001.pdf", notePdf.Content.Headers.ContentDisposition?.FileNameStar ?? notePdf.Content.Headers.ContentDisposition?.FileName);
    }

    [Fact]
    public async Task Another_projects_documents_are_not_found_and_anonymous_requests_are_sent_to_sign_in()
    {
        var (_, _, otherInvoice, otherNote) = await SeedAsync(_app);
        using var viewer = await _app.SignedInMemberAsync("viewer@example.test", ProjectRole.Viewer);
        using var anonymous = _app.CreateBrowserClient();

        using var invoice = await viewer.GetAsync(new Uri($"/invoices/{otherInvoice.Id}/pdf", UriKind.Relative));
        using var note = await viewer.GetAsync(new Uri($"/credit-notes/{otherNote.Id}/pdf", UriKind.Relative));
        using var unknown = await viewer.GetAsync(new Uri("/invoices/INV-999999/pdf", UriKind.Relative));
        using var signedOut = await anonymous.GetAsync(new Uri($"/invoices/{otherInvoice.Id}/pdf", UriKind.Relative));
        using var signedOutPrint = await anonymous.GetAsync(new Uri($"/credit-notes/{otherNote.Id}/print", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, invoice.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, note.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.StartsWith("/account/sign-in", signedOut.Headers.Location?.AbsolutePath ?? signedOut.Headers.Location?.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, signedOutPrint.StatusCode);
    }

    [Fact]
    public async Task The_print_page_shows_the_document_without_the_console_around_it()
    {
        var (invoice, note, _, _) = await SeedAsync(_app);
        using var viewer = await _app.SignedInMemberAsync("viewer@example.test", ProjectRole.Viewer);

        var page = await viewer.GetStringAsync(new Uri($"/invoices/{invoice.Id}/print", UriKind.Relative));
        var consolePage = await viewer.GetStringAsync(new Uri($"/credit-notes/{note.Id}", UriKind.Relative));

        Assert.Contains("data-testid=\"document-sheet\"", page, StringComparison.Ordinal);
        Assert.Contains("INV-000012", page, StringComparison.Ordinal);
        Assert.Contains("41.47 USD", page, StringComparison.Ordinal); // 51.47 − the 10.00 credit note
        Assert.Contains("href=\"/billing-runs\"", consolePage, StringComparison.Ordinal);
        Assert.Contains("CN-000001", consolePage, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/billing-runs\"", page, StringComparison.Ordinal); // no navigation
    }
}
