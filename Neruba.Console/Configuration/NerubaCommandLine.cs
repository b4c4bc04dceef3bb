namespace Neruba.Console.Configuration;

/// <summary>
/// Neruba's own command line, taken out before the host reads the rest as configuration: an operator command (a bare first word such as
/// <c>migrate</c>) with its options, or the app itself with <c>--seed-demo</c>. Anything else (<c>--urls …</c>, <c>--Neruba:Key=value</c>) is the
/// host's.
/// </summary>
public sealed record NerubaCommandLine(bool SeedDemo, string[] HostArgs, string? Command = null, IReadOnlyList<string>? CommandArgs = null)
{
    public const string SeedDemoSwitch = "--seed-demo";

    public static NerubaCommandLine Parse(string[] args)
    {
        if (args.Length > 0 && IsCommandWord(args[0]))
        {
            return new NerubaCommandLine(false, [], args[0].ToLowerInvariant(), args[1..]);
        }

        return new(args.Contains(SeedDemoSwitch, StringComparer.OrdinalIgnoreCase),
            args.Where(a => !string.Equals(a, SeedDemoSwitch, StringComparison.OrdinalIgnoreCase)).ToArray());
    }

    /// <summary>A command is a bare word: not an option (<c>--urls</c>) and not a configuration assignment (<c>Neruba:SeedDemo=true</c>).</summary>
    private static bool IsCommandWord(string arg) => arg.Length > 0 && !arg.StartsWith('-') && !arg.StartsWith('/') && !arg.Contains('=', StringComparison.Ordinal);
}
