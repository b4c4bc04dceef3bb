using System.Globalization;

namespace Neruba.Console.Components.Pages.Payments;

/// <summary>How a credit pack's terms read in tables and pickers.</summary>
public static class PackText
{
    public static string Expiry(int? days) => days switch
    {
        null => "Never expires",
        1 => "1 day after purchase",
        { } n => string.Create(CultureInfo.InvariantCulture, $"{n} days after purchase"),
    };
}
