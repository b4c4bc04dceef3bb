using System.Globalization;

namespace Neruba.Domain.Money;

/// <summary>
/// An amount of money: whole minor units of one currency. Never a floating-point number.
/// Arithmetic is checked: an overflow throws instead of wrapping.
/// </summary>
public readonly record struct MoneyAmount(long Minor, Currency Currency)
{
    public static MoneyAmount Zero(Currency currency) => new(0, currency);

    public decimal Major => (decimal)Minor / Currency.MinorPerMajor;

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
        var scaled = decimal.Round(major * currency.MinorPerMajor, 0, MidpointRounding.AwayFromZero);
        if (scaled > long.MaxValue || scaled < long.MinValue)
        {
            throw new OverflowException($"The amount {major} {currency.Code} is too large.");
        }

        return new MoneyAmount((long)scaled, currency);
    }

    /// <summary>
    /// Parses what a person typed ("12.50", "1,000.50") in the currency's exponent. Never throws, whatever
    /// the text: it returns an error sentence for anything that is not plainly one amount. A comma is only
    /// a thousands separator in groups of three ("1,000"); "5,50" or "1.000,50" could mean two different
    /// amounts, so they are refused rather than guessed. Exponents, inner spaces and other symbols are refused.
    /// </summary>
    public static bool TryParse(string? text, Currency currency, out MoneyAmount amount, out string? error)
    {
        amount = default;
        var trimmed = (text ?? "").Trim();
        if (trimmed.Length == 0)
        {
            error = "Enter an amount.";
            return false;
        }

        var shown = trimmed.Length > 40 ? trimmed[..40] + "…" : trimmed;
        if (!AmountText.TrySplit(trimmed, out var negative, out var whole, out var fraction, out error))
        {
            error = $"'{shown}' {error}";
            return false;
        }

        // Zeros past the currency's exponent change nothing ("12.500" is 12.50 USD); any other digit there is a typo.
        var significantFraction = fraction.TrimEnd('0');
        if (significantFraction.Length > currency.Exponent)
        {
            error = currency.Exponent == 0
                ? $"{currency.Code} has no minor unit; enter a whole number."
                : $"{currency.Code} has {currency.Exponent} decimal places; '{shown}' has more.";
            return false;
        }

        // 18 digits of minor units always fit in a long; more is refused before any arithmetic can overflow.
        var minorDigits = (whole.TrimStart('0') + significantFraction.PadRight(currency.Exponent, '0')).TrimStart('0');
        if (minorDigits.Length > 18)
        {
            error = $"'{shown}' is too large an amount.";
            return false;
        }

        var minor = minorDigits.Length == 0 ? 0 : long.Parse(minorDigits, NumberStyles.None, CultureInfo.InvariantCulture);
        amount = new MoneyAmount(negative ? -minor : minor, currency);
        return true;
    }

    /// <summary>Adds two amounts, or says why it cannot (other currency, too large) instead of throwing.</summary>
    public static bool TryAdd(MoneyAmount left, MoneyAmount right, out MoneyAmount sum)
    {
        sum = default;
        if (left.Currency != right.Currency)
        {
            return false;
        }

        var total = (decimal)left.Minor + right.Minor;
        if (total is > long.MaxValue or < long.MinValue)
        {
            return false;
        }

        sum = new MoneyAmount((long)total, left.Currency);
        return true;
    }

    /// <summary>Formats with the currency's exponent and code, e.g. "1,234.50 USD" (invariant culture).</summary>
    public override string ToString() =>
        Major.ToString("N" + Currency.Exponent.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + " " + Currency.Code;

    /// <summary>The plain number in major units, e.g. "1234.50", as a person would type it.</summary>
    public string ToInputString() =>
        Major.ToString("F" + Currency.Exponent.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static void SameCurrency(MoneyAmount left, MoneyAmount right)
    {
        if (left.Currency != right.Currency)
        {
            throw new InvalidOperationException($"Cannot combine {left.Currency.Code} with {right.Currency.Code}.");
        }
    }
}
