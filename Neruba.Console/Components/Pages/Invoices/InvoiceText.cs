using Neruba.Domain.Billing;

namespace Neruba.Console.Components.Pages.Invoices;

/// <summary>How invoice figures read in the console: money with its currency, factors as days of days.</summary>
public static class InvoiceText
{
    public static string Money(long minor, string currency) => Shared.Display.ConsoleFormat.Money(minor, currency);

    public static string Quantity(decimal quantity) => Shared.Display.ConsoleFormat.Quantity(quantity);

    public static string Proration(InvoiceLine line) => line.ProrationDays is { } days ? $"{days}/{line.ProrationOfDays} days" : "–";
}
