using Neruba.EndToEnd.Tests.Support;

namespace Neruba.EndToEnd.Tests;

public class StartupConfigurationTests
{
    [Fact]
    public async Task An_unknown_provider_stops_the_app_with_one_sentence_naming_the_key()
    {
        var (exitCode, output) = await ConsoleProcess.RunUntilExitAsync(new Dictionary<string, string>
        {
            ["Neruba__Database__Provider"] = "Oracle",
        });

        Assert.Equal(1, exitCode);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("Neruba cannot start:", line, StringComparison.Ordinal);
        Assert.Contains("Neruba:Database:Provider", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_mode_without_a_connection_string_stops_the_app_naming_the_key()
    {
        var (exitCode, output) = await ConsoleProcess.RunUntilExitAsync(new Dictionary<string, string>
        {
            ["Neruba__Database__Provider"] = "SqlServer",
        });

        Assert.Equal(1, exitCode);
        Assert.Contains("Neruba:Database:ConnectionString", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }
}
