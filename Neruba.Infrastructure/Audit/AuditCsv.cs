using System.Globalization;
using System.Text;

namespace Neruba.Infrastructure.Audit;

/// <summary>
/// Writes audit rows as CSV that is safe to open in a spreadsheet: a cell that starts with
/// = + - @ (or a tab or carriage return) is prefixed with an apostrophe so it is never run as a formula.
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
        if (text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            text = "'" + text;
        }

        return text.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }

    private static void AppendLine(StringBuilder csv, IEnumerable<string?> cells) =>
        csv.Append(string.Join(',', cells.Select(Cell))).Append("\r\n");
}
