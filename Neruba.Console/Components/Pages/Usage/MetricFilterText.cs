using Neruba.Domain.Metering;

namespace Neruba.Console.Components.Pages.Usage;

/// <summary>Metric filters as people type them: one per line, "region = eu" or "plan in pro, team".</summary>
public static class MetricFilterText
{
    public static string Format(IReadOnlyList<MetricFilter> filters) =>
        string.Join('\n', filters.Select(f => f.Operator == FilterOperator.Equals ? $"{f.Property} = {f.Values[0]}" : $"{f.Property} in {string.Join(", ", f.Values)}"));

    public static bool TryParse(string? text, out List<MetricFilter> filters, out string? error)
    {
        filters = [];
        error = null;
        foreach (var line in (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var inAt = line.IndexOf(" in ", StringComparison.OrdinalIgnoreCase);
            var equalsAt = line.IndexOf('=', StringComparison.Ordinal);
            if (inAt > 0)
            {
                filters.Add(new MetricFilter(line[..inAt].Trim(), FilterOperator.In,
                    line[(inAt + 4)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
            }
            else if (equalsAt > 0)
            {
                filters.Add(new MetricFilter(line[..equalsAt].Trim(), FilterOperator.Equals, [line[(equalsAt + 1)..].Trim()]));
            }
            else
            {
                error = $"'{line}' is not a filter; write 'property = value' or 'property in a, b'.";
                return false;
            }
        }

        return true;
    }
}
