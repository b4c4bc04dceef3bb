using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Neruba.Console.Tests.Documents;
using Neruba.Console.Tests.Support;
using Neruba.Domain.Access;

namespace Neruba.Console.Tests.Api;

/// <summary>The credit notes API over real HTTP: listed with filters, per invoice, with amounts as text and minor units.</summary>
public sealed class CreditNotesApiTests : IDisposable
{
    private readonly ConsoleAppFactory _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Credit_notes_are_listed_filtered_and_read_per_invoice_only_from_the_keys_project()
    {
        var (invoice, note, otherInvoice, _) = await DocumentEndpointTests.SeedAsync(_app);
        using var reader = _app.CreateApiClient(await _app.CreateApiKeyAsync(null, ApiScopes.BillingRead));

        var all = await reader.GetFromJsonAsync<JsonElement>("/api/v1/credit-notes?status=issued&reasonCode=billing_error&month=2026-10");
        var perInvoice = await reader.GetFromJsonAsync<JsonElement>($"/api/v1/invoices/{invoice.Id}/credit-notes");
        var one = await reader.GetFromJsonAsync<JsonElement>("/api/v1/credit-notes/CN-000001");
        using var elsewhere = await reader.GetAsync(new Uri($"/api/v1/invoices/{otherInvoice.Id}/credit-notes", UriKind.Relative));

        Assert.Equal(1, all.GetProperty("total").GetInt32());
        var listed = all.GetProperty("items")[0];
        Assert.Equal(("CN-000001", "INV-000012", "issued"), (listed.GetProperty("number").GetString(), listed.GetProperty("invoiceNumber").GetString(),
            listed.GetProperty("status").GetString()));
        Assert.Equal(("10.47", 1047L, "USD"), (listed.GetProperty("total").GetProperty("amount").GetString(),
            listed.GetProperty("total").GetProperty("amountMinor").GetInt64(), listed.GetProperty("total").GetProperty("currency").GetString()));
        Assert.Equal("0.47", listed.GetProperty("toWallet").GetProperty("amount").GetString());
        Assert.Equal(note.Id.ToString(), perInvoice.GetProperty("items")[0].GetProperty("id").GetString());
        Assert.Equal("Requests were counted twice.", one.GetProperty("note").GetString());
        Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
    }

    [Theory]
    [InlineData("/api/v1/credit-notes?status=pending", HttpStatusCode.BadRequest, "status")]
    [InlineData("/api/v1/credit-notes?month=October", HttpStatusCode.BadRequest, "month")]
    [InlineData("/api/v1/credit-notes?customer=nobody", HttpStatusCode.NotFound, null)]
    [InlineData("/api/v1/invoices/INV-424242/credit-notes", HttpStatusCode.NotFound, null)]
    [InlineData("/api/v1/credit-notes/CN-424242", HttpStatusCode.NotFound, null)]
    public async Task Bad_filters_and_unknown_documents_are_problems(string path, HttpStatusCode status, string? field)
    {
        using var reader = _app.CreateApiClient(await _app.CreateApiKeyAsync(null, ApiScopes.BillingRead));

        using var response = await reader.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (field is not null)
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"expected an error for {field}");
        }
    }

    [Fact]
    public async Task A_key_without_billing_read_is_refused()
    {
        using var writer = _app.CreateApiClient(await _app.CreateApiKeyAsync(null, ApiScopes.SetupWrite));

        using var response = await writer.GetAsync(new Uri("/api/v1/credit-notes", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
