using System.Globalization;
using System.Text;

namespace Neruba.Infrastructure.Audit;

/// <summary>
/// Writes CSV that is safe to open in a spreadsheet whatever its list separator: every cell is quoted
/// (so a comma or semicolon inside never splits it), and a cell that starts like a formula
/// (= + - @, tab, carriage return or their full-width forms) gets a leading apostrophe so it is read as text.
/// </summary>
public static class AuditCsv
{
    private static readonly string[] Header =
        ["at_utc", "actor_kind", "actor", "action", "outcome", "target_type", "target_id", "reason", "before", "after", "correlation_id"];

    public static string Write(IEnumerable<AuditRow> rows)
    {
        var csv = new StringBuilder();
        AppendLine(csv, Header);
        foreach (var row in rows)
        {
            AppendLine(csv,
            [
                row.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture), row.ActorKind.ToString(), row.ActorName,
                row.Action, row.Outcome.ToString(), row.TargetType, row.TargetId, row.Reason, row.Before, row.After, row.CorrelationId,
            ]);
        }

        return csv.ToString();
    }

    public static string Cell(string? value)
    {
        var text = value ?? "";
        if (text.Length > 0 && StartsFormula(text[0]))
        {
            text = "'" + text;
        }

        return "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>One CSV line (with its CRLF) of safe cells.</summary>
    public static StringBuilder AppendLine(StringBuilder csv, IEnumerable<string?> cells) =>
        csv.AppendJoin(',', cells.Select(Cell)).Append("\r\n");

    private static bool StartsFormula(char first) =>
        first is '=' or '+' or '-' or '@' or '\t' or '\r' or '＝' or '＋' or '－' or '＠';
}
