using System.Globalization;
using Neruba.Domain.Billing;
using Neruba.Domain.Money;

namespace Neruba.Console.Components.Pages.Invoices;

/// <summary>How invoice figures read in the console: money with its currency, factors as days of days.</summary>
public static class InvoiceText
{
    public static string Money(long minor, string currency) => new MoneyAmount(minor, Currency.Of(currency)).ToString();

    public static string Quantity(decimal quantity) => quantity.ToString("#,0.############", CultureInfo.InvariantCulture);

    public static string Proration(InvoiceLine line) => line.ProrationDays is { } days ? $"{days}/{line.ProrationOfDays} days" : "–";

    public static string Kind(InvoiceLineKind kind) => kind switch
    {
        InvoiceLineKind.BaseFee => "Base fee",
        InvoiceLineKind.BaseFeeAdjustment => "Base fee adjustment",
        InvoiceLineKind.MinimumCommitment => "Minimum commitment",
        _ => "Usage",
    };
}
