using System.Globalization;

namespace Neruba.Domain.Money;

/// <summary>
/// An amount of money: whole minor units of one currency. Never a floating-point number.
/// Arithmetic is checked: an overflow throws instead of wrapping.
/// </summary>
public readonly record struct MoneyAmount(long Minor, Currency Currency)
{
    public static MoneyAmount Zero(Currency currency) => new(0, currency);

    public decimal Major => Minor / Pow10(Currency.Exponent);

    public static MoneyAmount operator +(MoneyAmount left, MoneyAmount right)
    {
        SameCurrency(left, right);
        return new MoneyAmount(checked(left.Minor + right.Minor), left.Currency);
    }

    public static MoneyAmount operator -(MoneyAmount left, MoneyAmount right)
    {
        SameCurrency(left, right);
        return new MoneyAmount(checked(left.Minor - right.Minor), left.Currency);
    }

    public static MoneyAmount operator -(MoneyAmount amount) => new(checked(-amount.Minor), amount.Currency);

    /// <summary>Rounds a decimal major-unit value to minor units, half away from zero.</summary>
    public static MoneyAmount FromDecimal(decimal major, Currency currency)
    {
        var scaled = decimal.Round(major * Pow10(currency.Exponent), 0, MidpointRounding.AwayFromZero);
        if (scaled > long.MaxValue || scaled < long.MinValue)
        {
            throw new OverflowException($"The amount {major} {currency.Code} is too large.");
        }

        return new MoneyAmount((long)scaled, currency);
    }

    /// <summary>
    /// Parses what a person typed ("12.50", "1,000.5") in the currency's exponent. Returns an error
    /// sentence instead of throwing: too many decimals, not a number, or too large.
    /// </summary>
    public static bool TryParse(string? text, Currency currency, out MoneyAmount amount, out string? error)
    {
        amount = default;
        error = null;
        var cleaned = (text ?? "").Trim().Replace(",", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
        if (cleaned.Length == 0)
        {
            error = "Enter an amount.";
            return false;
        }

        if (!decimal.TryParse(cleaned, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            error = $"'{text}' is not an amount; use digits and a decimal point, e.g. 12.50.";
            return false;
        }

        if (value.Scale > currency.Exponent && decimal.Round(value, currency.Exponent) != value)
        {
            error = currency.Exponent == 0
                ? $"{currency.Code} has no minor unit; enter a whole number."
                : $"{currency.Code} has {currency.Exponent} decimal places; '{text}' has more.";
            return false;
        }

        var minor = value * Pow10(currency.Exponent);
        if (minor > long.MaxValue || minor < long.MinValue)
        {
            error = $"'{text}' is too large an amount.";
            return false;
        }

        amount = new MoneyAmount((long)minor, currency);
        return true;
    }

    /// <summary>Formats with the currency's exponent and code, e.g. "1,234.50 USD" (invariant culture).</summary>
    public override string ToString() =>
        Major.ToString("N" + Currency.Exponent.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + " " + Currency.Code;

    /// <summary>The plain number in major units, e.g. "1234.50", as a person would type it.</summary>
    public string ToInputString() =>
        Major.ToString("F" + Currency.Exponent.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static decimal Pow10(int exponent) => exponent switch
    {
        0 => 1m,
        1 => 10m,
        2 => 100m,
        3 => 1000m,
        _ => throw new ArgumentOutOfRangeException(nameof(exponent)),
    };

    private static void SameCurrency(MoneyAmount left, MoneyAmount right)
    {
        if (left.Currency != right.Currency)
        {
            throw new InvalidOperationException($"Cannot combine {left.Currency.Code} with {right.Currency.Code}.");
        }
    }
}
