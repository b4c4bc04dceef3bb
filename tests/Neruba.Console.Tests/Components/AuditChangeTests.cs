using Bunit;
using Neruba.Console.Components.Pages.Audit;

namespace Neruba.Console.Tests.Components;

public class AuditChangeTests : MudTestContext
{
    [Fact]
    public void Only_the_fields_that_changed_are_shown_old_to_new()
    {
        var change = Render<AuditChange>(p => p
            .Add(c => c.Before, """{"email":"a@x.test","role":"Admin"}""")
            .Add(c => c.After, """{"email":"a@x.test","role":"Operator"}"""));

        var line = Assert.Single(change.FindAll(".neruba-change"));
        Assert.Contains("Role", line.TextContent, StringComparison.Ordinal);
        Assert.Equal("Admin", line.QuerySelector(".neruba-before")!.TextContent);
        Assert.Contains("Operator", line.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Codes_in_a_record_read_as_words_and_free_text_as_written()
    {
        var change = Render<AuditChange>(p => p
            .Add(c => c.After, """{"Source":"SupportGrant","ReasonCode":"service_outage","Status":"PendingApproval","Note":"McAfee outage"}"""));

        var lines = change.FindAll(".neruba-change").Select(l => l.TextContent.Trim()).ToList();
        Assert.Equal(["Source: Support grant", "Reason code: Service outage", "Status: Pending approval", "Note: McAfee outage"],
            lines.Select(l => string.Join(' ', l.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))).ToList());
    }

    [Fact]
    public void Amounts_kept_in_minor_units_read_as_money_in_the_records_currency()
    {
        var change = Render<AuditChange>(p => p.Add(c => c.After, """{"number":"INV-000004","currency":"JPY","subtotal":5180,"amountDue":-12,"period":"2026-10"}"""));

        var lines = change.FindAll(".neruba-change").Select(l => string.Join(' ', l.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))).ToList();
        Assert.Contains("Subtotal: 5,180 JPY", lines);
        Assert.Contains("Amount due: -12 JPY", lines);
        Assert.Contains("Number: INV-000004", lines);
    }

    [Fact]
    public void A_creation_shows_every_field_it_set()
    {
        var change = Render<AuditChange>(p => p.Add(c => c.After, """{"name":"Acme","currency":"EUR","email":null}"""));

        Assert.Equal(2, change.FindAll(".neruba-change").Count);
        Assert.Empty(change.FindAll(".neruba-before"));
    }
}
