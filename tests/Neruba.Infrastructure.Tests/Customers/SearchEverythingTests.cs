using Neruba.Infrastructure.Search;
using Neruba.Infrastructure.Tests.Corrections;
using Neruba.Infrastructure.Tests.Support;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Tests.Customers;

/// <summary>The app bar's search: customers by name, email and external id, invoices and credit notes by number, one project only.</summary>
public class SearchEverythingTests
{
    private static Task<IReadOnlyList<SearchHit>> Search(UseCaseHarness harness, string? term, Actor? actor = null) =>
        harness.ValueAsync<SearchEverything, SearchEverything.Request, IReadOnlyList<SearchHit>>(new(term), actor);

    [Fact]
    public async Task Finds_customers_by_name_email_and_external_id_and_documents_by_number()
    {
        var s = await CorrectionScenario.StartAsync();
        await using var harness = s.Harness;
        var note = await s.CreditAsync(s.Acme, flat: "5.00");
        Assert.True(note.Succeeded, note.Message);
        var creditNote = note.Value!.Number;

        Assert.Equal("Acme Analytics", Assert.Single(await Search(harness, "acme anal")).Title);
        Assert.Equal("Globex Logistics", Assert.Single(await Search(harness, "ap@globex")).Title);
        Assert.Equal("Hooli Cloud", Assert.Single(await Search(harness, "cus_hoo")).Title);
        var invoice = Assert.Single(await Search(harness, s.Acme));
        Assert.Equal((SearchHitKind.Invoice, s.Acme, $"/invoices/{s.Acme}"), (invoice.Kind, invoice.Title, invoice.Link));
        Assert.Contains("Acme Analytics", invoice.Detail, StringComparison.Ordinal);
        var credit = Assert.Single(await Search(harness, creditNote.ToLowerInvariant()));
        Assert.Equal((SearchHitKind.CreditNote, creditNote), (credit.Kind, credit.Title));
        Assert.Contains(await Search(harness, s.Acme[4..].TrimStart('0')), h => h.Kind == SearchHitKind.Invoice && h.Title == s.Acme);
        Assert.Empty(await Search(harness, "   "));
        Assert.Empty(await Search(harness, "%"));
    }

    [Fact]
    public async Task Never_finds_another_projects_records()
    {
        var s = await CorrectionScenario.StartAsync();
        await using var harness = s.Harness;
        var elsewhere = await harness.AdminOfAnotherProjectAsync();

        Assert.Empty(await Search(harness, "acme", elsewhere));
        Assert.Empty(await Search(harness, s.Acme, elsewhere));
        Assert.Empty(await Search(harness, "cus_", elsewhere));
        Assert.NotEmpty(await Search(harness, "cus_"));
    }
}
