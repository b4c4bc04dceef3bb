namespace Neruba.Domain.Money;

/// <summary>
/// Splits typed amount text into sign, whole digits and fraction digits by hand, so no culture, exponent
/// or rounding rule of a number parser can read it differently from how a person meant it.
/// </summary>
internal static class AmountText
{
    private const int MaxLength = 64;

    /// <summary>On failure, <paramref name="error"/> finishes the sentence "'text' …".</summary>
    public static bool TrySplit(string text, out bool negative, out string whole, out string fraction, out string? error)
    {
        negative = false;
        whole = "";
        fraction = "";
        error = null;
        if (text.Length > MaxLength)
        {
            error = "is too long to be an amount.";
            return false;
        }

        var body = text;
        if (body[0] is '-' or '+')
        {
            negative = body[0] == '-';
            body = body[1..];
        }

        var point = body.IndexOf('.', StringComparison.Ordinal);
        whole = point < 0 ? body : body[..point];
        fraction = point < 0 ? "" : body[(point + 1)..];
        if (fraction.Contains(',', StringComparison.Ordinal))
        {
            error = "is ambiguous: use a point for decimals (12.50) and commas only between thousands (1,000.50).";
            return false;
        }

        if (whole.Length == 0 || (point >= 0 && fraction.Length == 0) || !fraction.All(char.IsAsciiDigit))
        {
            error = "is not an amount; use digits and a decimal point, e.g. 12.50.";
            return false;
        }

        if (whole.Contains(',', StringComparison.Ordinal))
        {
            if (!IsGroupedByThousands(whole))
            {
                error = "is ambiguous: use a point for decimals (12.50) and commas only between thousands (1,000.50).";
                return false;
            }

            whole = whole.Replace(",", "", StringComparison.Ordinal);
        }

        if (!whole.All(char.IsAsciiDigit))
        {
            error = "is not an amount; use digits and a decimal point, e.g. 12.50.";
            return false;
        }

        return true;
    }

    /// <summary>"1,000" and "12,345,678" are; "5,50", "1,0000" and ",100" are not.</summary>
    private static bool IsGroupedByThousands(string digits)
    {
        var groups = digits.Split(',');
        return groups[0].Length is >= 1 and <= 3 && groups[0].All(char.IsAsciiDigit)
            && groups.Skip(1).All(g => g.Length == 3 && g.All(char.IsAsciiDigit));
    }
}
