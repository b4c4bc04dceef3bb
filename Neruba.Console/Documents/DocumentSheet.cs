using Neruba.Console.Components.Shared.Display;
using Neruba.Infrastructure.Billing.Documents;

namespace Neruba.Console.Documents;

public sealed record SheetLine(string Description, string Quantity, string UnitPrice, string Amount);

public sealed record SheetTotal(string Label, string Amount, bool Strong = false);

/// <summary>
/// A document's words and figures, formatted once (money with its currency's exponent, dates in the project's zone), so the PDF and the
/// print page cannot disagree.
/// </summary>
public sealed record DocumentSheet(string Title, string Number, bool IsVoid, string? Relation, IReadOnlyList<string> Seller, IReadOnlyList<string> Customer,
    IReadOnlyList<(string Label, string Value)> Facts, IReadOnlyList<SheetLine> Lines, IReadOnlyList<SheetTotal> Totals)
{
    public const string TaxNote = "Tax: none (tax-free)";

    public string FileName => Number + ".pdf";

    public static DocumentSheet From(BillingDocument document)
    {
        var zone = ConsoleFormat.Zone(document.TimeZone);
        string Money(long minor) => ConsoleFormat.Money(minor, document.Currency);
        var relation = document.RelatedNumber is not { } related ? null : document.Relation switch
        {
            DocumentRelation.SupplementOf => $"Supplemental invoice for {related}",
            DocumentRelation.Replaces => $"Replaces {related}",
            DocumentRelation.Credits => $"Credit note for invoice {related}",
            _ => null,
        };
        var lines = document.Lines.Select(l => new SheetLine(l.Description, l.Quantity is { } q ? ConsoleFormat.Quantity(q) : "",
            l.UnitPrice is { } p ? ConsoleFormat.Price(p, document.Currency) : "", Money(l.Amount))).ToList();
        IReadOnlyList<(string, string)> facts =
        [
            ("Issue date", ConsoleFormat.Date(document.IssuedAt, zone)),
            ("Period", ConsoleFormat.Days(document.PeriodStart, document.PeriodEnd)),
            ("Currency", document.Currency),
        ];
        return new DocumentSheet(document.Kind == DocumentKind.Invoice ? "Invoice" : "Credit note", document.Number, document.IsVoid, relation,
            Party(document.Seller, "Tax id: "), Party(document.Customer, "Customer id: "), facts, lines, TotalsOf(document, Money));
    }

    private static List<SheetTotal> TotalsOf(BillingDocument document, Func<long, string> money)
    {
        if (document.Invoice is { } invoice)
        {
            var totals = new List<SheetTotal>
            {
                new("Subtotal", money(invoice.Subtotal)),
                new("Credits applied", money(-invoice.CreditsApplied)),
                new("Credit notes", money(-invoice.CreditNotes)),
                new("Payments", money(-invoice.Payments)),
            };
            if (invoice.WrittenOff != 0)
            {
                totals.Add(new("Written off", money(-invoice.WrittenOff)));
            }

            totals.Add(new("Amount due", money(invoice.AmountDue), Strong: true));
            return totals;
        }

        var note = document.CreditNote!;
        return
        [
            new("Total credited", money(note.Total), Strong: true),
            new("Reduces amount due", money(note.ToDue)),
            new("Refunded", money(note.Refunded)),
            new("Added to your credit balance", money(note.ToWallet)),
        ];
    }

    /// <summary>A party's block: name, each address line, email, reference; blank parts are left out.</summary>
    private static List<string> Party(DocumentParty party, string referenceLabel)
    {
        var lines = new List<string> { party.Name };
        lines.AddRange(party.Address.Split('\n').Select(l => l.TrimEnd('\r').Trim()).Where(l => l.Length > 0));
        if (party.Email.Length > 0)
        {
            lines.Add(party.Email);
        }

        if (party.Reference.Length > 0)
        {
            lines.Add(referenceLabel + party.Reference);
        }

        return lines;
    }
}
