using System.Text;
using System.Text.Json;

namespace Neruba.Infrastructure.Metering;

/// <summary>
/// Reads a backfill file into incoming events. JSON lines: one event object per line, as the API takes them.
/// CSV: a header <c>event_id,customer_id,metric,occurred_at,properties</c>, properties as a JSON object.
/// A line that cannot be read becomes a rejected event naming its line, never a failed import.
/// </summary>
public static class BackfillFile
{
    public const string CsvHeader = "event_id,customer_id,metric,occurred_at,properties";

    public static bool IsCsv(string fileName) => fileName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase);

    public static IEnumerable<(int Line, IncomingEvent Event)> Read(string fileName, byte[] content)
    {
        var lines = Encoding.UTF8.GetString(content).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var csv = IsCsv(fileName);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim().TrimStart('\uFEFF');
            if (line.Length == 0 || (csv && i == 0 && line.StartsWith("event_id", StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            yield return (i + 1, csv ? FromCsv(line) : FromJson(line));
        }
    }

    private static IncomingEvent FromJson(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var item = document.RootElement;
            if (item.ValueKind != JsonValueKind.Object)
            {
                return Broken("The line is not a JSON object.");
            }

            string? Text(string name) => item.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            JsonElement? properties = item.TryGetProperty("properties", out var p) ? p.Clone() : null;
            return new IncomingEvent(Text("eventId"), Text("customerId"), Text("metric"), Text("occurredAt"), properties);
        }
        catch (JsonException)
        {
            return Broken("The line is not valid JSON.");
        }
    }

    private static IncomingEvent FromCsv(string line)
    {
        var cells = SplitCsv(line);
        if (cells.Count < 4 || cells.Count > 5)
        {
            return Broken($"Expected the columns {CsvHeader}; found {cells.Count}.");
        }

        JsonElement? properties = null;
        if (cells.Count == 5 && cells[4].Length > 0)
        {
            try
            {
                using var document = JsonDocument.Parse(cells[4]);
                properties = document.RootElement.Clone();
            }
            catch (JsonException)
            {
                return new IncomingEvent(cells[0], cells[1], cells[2], cells[3], null, "The properties column is not valid JSON.");
            }
        }

        return new IncomingEvent(cells[0], cells[1], cells[2], cells[3], properties);
    }

    private static IncomingEvent Broken(string reason) => new(null, null, null, null, null, reason);

    /// <summary>RFC 4180 cells: commas (or another list separator) split, quotes group, doubled quotes escape.</summary>
    internal static List<string> SplitCsv(string line, char separator = ',')
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == separator)
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else
            {
                cell.Append(c);
            }
        }

        cells.Add(cell.ToString());
        return cells;
    }
}
