namespace Neruba.Console.Configuration;

/// <summary>Neruba's own command-line switches, taken out before the host reads the rest as configuration.</summary>
public sealed record NerubaCommandLine(bool SeedDemo, string[] HostArgs)
{
    public const string SeedDemoSwitch = "--seed-demo";

    public static NerubaCommandLine Parse(string[] args) =>
        new(args.Contains(SeedDemoSwitch, StringComparer.OrdinalIgnoreCase),
            args.Where(a => !string.Equals(a, SeedDemoSwitch, StringComparison.OrdinalIgnoreCase)).ToArray());
}
