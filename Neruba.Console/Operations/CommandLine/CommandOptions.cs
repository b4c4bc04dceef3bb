namespace Neruba.Console.Operations.CommandLine;

/// <summary>
/// One command's arguments: its positional words, its <c>--name value</c> (or <c>--name=value</c>) options, and configuration overrides
/// (<c>--Neruba:DataDirectory=/srv/neruba</c>) handed to the host. An option the command does not take is refused, not ignored.
/// </summary>
public sealed class CommandOptions
{
    private readonly Dictionary<string, string> _options = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _positional = [];
    private readonly List<string> _hostArgs = [];

    public IReadOnlyList<string> Positional => _positional;

    public string[] HostArgs => [.. _hostArgs];

    public static CommandOptions Parse(string command, IReadOnlyList<string> args, IReadOnlySet<string> accepted)
    {
        var parsed = new CommandOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                parsed._positional.Add(arg);
                continue;
            }

            var (name, inline) = arg.IndexOf('=', StringComparison.Ordinal) is var eq and > 0 ? (arg[2..eq], arg[(eq + 1)..]) : (arg[2..], null);
            if (name.Contains(':', StringComparison.Ordinal))
            {
                parsed._hostArgs.Add(arg);
                continue;
            }

            if (!accepted.Contains(name))
            {
                throw new Infrastructure.Operations.CommandLine.OperatorCommandException(
                    accepted.Count == 0 ? $"{command} takes no option --{name}." : $"{command} takes --{string.Join(", --", accepted)}; not --{name}.");
            }

            var value = inline ?? (i + 1 < args.Count ? args[++i] : throw new Infrastructure.Operations.CommandLine.OperatorCommandException($"--{name} needs a value."));
            parsed._options[name] = value;
        }

        return parsed;
    }

    public string? this[string name] => _options.TryGetValue(name, out var value) ? value : null;

    public int? WholeNumber(string name) => this[name] is not { } text ? null
        : int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value
        : throw new Infrastructure.Operations.CommandLine.OperatorCommandException($"--{name} takes a whole number, not '{text}'.");
}
