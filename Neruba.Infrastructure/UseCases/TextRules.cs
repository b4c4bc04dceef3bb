using System.Globalization;
using System.Text.RegularExpressions;

namespace Neruba.Infrastructure.UseCases;

/// <summary>
/// What text and times the API and the console accept. Control characters and bidirectional overrides are refused
/// in ids and names: they make "cus_acme" and a look-alike print the same in a list, an audit log or an export.
/// </summary>
public static partial class TextRules
{
    /// <summary>Why <paramref name="value"/> is not acceptable text, or null. Multi-line text (notes, comments) may hold line breaks and tabs.</summary>
    public static string? Problem(string value, bool multiline = false)
    {
        foreach (var c in value)
        {
            if (multiline && c is '\n' or '\r' or '\t')
            {
                continue;
            }

            if (char.IsControl(c))
            {
                return $"contains a control character (U+{(int)c:X4}); remove it.";
            }

            if (IsBidiControl(c))
            {
                return $"contains an invisible text-direction character (U+{(int)c:X4}); remove it.";
            }

            if (IsInvisible(c) || (!multiline && c is '\u2028' or '\u2029'))
            {
                return $"contains an invisible character (U+{(int)c:X4}); remove it.";
            }
        }

        return null;
    }

    /// <summary>Parses an RFC 3339 timestamp: date, 'T', time, and a zone ('Z' or ±hh:mm). Anything else is refused, never guessed.</summary>
    public static bool TryParseTimestamp(string? text, out DateTimeOffset at)
    {
        at = default;
        return text is not null && Rfc3339().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out at);
    }

    public const string TimestampHint = "an RFC 3339 time with a time zone, e.g. 2026-11-24T10:15:00Z or 2026-11-24T11:15:00+01:00";

    /// <summary>Format characters (zero-width spaces, byte-order marks, soft hyphens…) except the joiners some scripts and emoji need.</summary>
    private static bool IsInvisible(char c) =>
        c is not ('\u200C' or '\u200D') && char.GetUnicodeCategory(c) == UnicodeCategory.Format;

    private static bool IsBidiControl(char c) => c is '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,7})?([Zz]|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex Rfc3339();
}
