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

    [Fact]
    public async Task Server_mode_waits_for_an_unreachable_database_then_stops_with_one_sentence_naming_the_server_and_the_setting()
    {
        var (exitCode, output) = await ConsoleProcess.RunUntilExitAsync(new Dictionary<string, string>
        {
            ["Neruba__Database__Provider"] = "SqlServer",
            // Port 1 on loopback: nothing listens there, so every attempt is refused at once.
            ["Neruba__Database__ConnectionString"] = "Server=127.0.0.1,1;Database=neruba;User Id=sa;Password=Not-To-Be-Printed-42;Connect Timeout=1;TrustServerCertificate=True",
            ["Neruba__Database__StartupWaitSeconds"] = "3",
            // Server mode refuses a shifted clock before it ever reaches the database: this test is about the database, so no clock.
            ["Neruba__Testing__ClockStartUtc"] = "",
        });

        Assert.Equal(1, exitCode);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var verdict = Assert.Single(lines, l => l.StartsWith("Neruba cannot start:", StringComparison.Ordinal));
        Assert.Contains("'127.0.0.1,1'", verdict, StringComparison.Ordinal);
        Assert.Contains("Neruba:Database:StartupWaitSeconds", verdict, StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Contains("cannot be reached yet (attempt 1", StringComparison.Ordinal));
        Assert.DoesNotContain("Not-To-Be-Printed-42", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }
}
