using Neruba.Domain.Billing;

namespace Neruba.Console.Components.Pages.Invoices;

/// <summary>How invoice figures read in the console: proration factors as days of days (money and quantities: ConsoleFormat).</summary>
public static class InvoiceText
{
    public static string Proration(InvoiceLine line) => line.ProrationDays is { } days ? $"{days}/{line.ProrationOfDays} days" : "–";
}
