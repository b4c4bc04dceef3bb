using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Neruba.Infrastructure.Tests.Support;

namespace Neruba.Infrastructure.Tests.Operations;

public class DatabaseHealthCheckTests
{
    [Fact]
    public async Task A_database_that_can_be_read_but_not_written_is_not_ready_and_the_reason_stays_in_the_log()
    {
        using var folder = new TempDataFolder();
        await using (var setUp = InfrastructureHost.Embedded(folder, "Correct-Horse-42!"))
        {
            await setUp.InitializeAsync();
            Assert.Equal(HealthStatus.Healthy, (await DatabaseCheckAsync(setUp)).Status);
        }

        // The same file, opened read-only (as on a read-only mount): reads work, the write probe does not.
        await using var readOnly = new InfrastructureHost(new Dictionary<string, string?>
        {
            ["Neruba:DataDirectory"] = folder.Path,
            ["Neruba:Database:ConnectionString"] = $"Data Source={folder.DatabaseFile};Mode=ReadOnly",
        });

        var entry = await DatabaseCheckAsync(readOnly);

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Equal("The database cannot be opened or written.", entry.Description);
        Assert.Contains(readOnly.Logs.Lines, line => line.Level == LogLevel.Error && line.Message.Contains("database check failed", StringComparison.Ordinal));
    }

    private static async Task<HealthReportEntry> DatabaseCheckAsync(InfrastructureHost host)
    {
        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(check => check.Name == "database");
        return report.Entries["database"];
    }
}
