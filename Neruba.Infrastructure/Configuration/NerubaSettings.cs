using Microsoft.Extensions.Configuration;

namespace Neruba.Infrastructure.Configuration;

/// <summary>
/// Configuration read and checked once at start, with the mode and paths resolved,
/// so nothing later has to second-guess a missing or misspelt key.
/// </summary>
public sealed record NerubaSettings(
    bool IsEmbedded,
    string DataDirectory,
    string ConnectionString,
    BootstrapOptions Bootstrap,
    bool SeedDemo,
    bool DemoBilling = false,
    string? BillingSchedule = NerubaSettings.BillingScheduleDefault,
    int DatabaseStartupWaitSeconds = 60)
{
    /// <summary>Hourly, at minute 7: a month is billed within the hour after its grace period ends.</summary>
    public const string BillingScheduleDefault = "7 * * * *";

    public string Mode => IsEmbedded ? "embedded" : "server";

    public static NerubaSettings Load(IConfiguration configuration)
    {
        var options = new NerubaOptions();
        configuration.GetSection(NerubaOptions.SectionName).Bind(options);

        var provider = options.Database.Provider?.Trim() ?? "";
        var dataDirectory = Path.GetFullPath(string.IsNullOrWhiteSpace(options.DataDirectory) ? "./data" : options.DataDirectory);

        if (string.Equals(provider, DatabaseProviders.Sqlite, StringComparison.OrdinalIgnoreCase))
        {
            var connectionString = string.IsNullOrWhiteSpace(options.Database.ConnectionString)
                ? $"Data Source={Path.Combine(dataDirectory, "neruba.db")};Default Timeout=30"
                : options.Database.ConnectionString;
            return new NerubaSettings(true, dataDirectory, connectionString, options.Bootstrap, options.SeedDemo, options.DemoBilling, options.BillingSchedule);
        }

        if (string.Equals(provider, DatabaseProviders.SqlServer, StringComparison.OrdinalIgnoreCase))
        {
            if (string.IsNullOrWhiteSpace(options.Database.ConnectionString))
            {
                throw new NerubaConfigurationException(
                    "Server mode needs a SQL Server connection string in Neruba:Database:ConnectionString (environment variable Neruba__Database__ConnectionString).");
            }

            try
            {
                _ = new Microsoft.Data.SqlClient.SqlConnectionStringBuilder(options.Database.ConnectionString);
            }
            catch (Exception exception) when (exception is ArgumentException or FormatException or KeyNotFoundException)
            {
                throw new NerubaConfigurationException($"Neruba:Database:ConnectionString is not a SQL Server connection string ({exception.Message}).");
            }

            if (options.Database.StartupWaitSeconds is < 0 or > 3600)
            {
                throw new NerubaConfigurationException(
                    $"Neruba:Database:StartupWaitSeconds is {options.Database.StartupWaitSeconds}, but it must be between 0 and 3600 seconds.");
            }

            return new NerubaSettings(false, dataDirectory, options.Database.ConnectionString, options.Bootstrap, options.SeedDemo, options.DemoBilling, options.BillingSchedule,
                options.Database.StartupWaitSeconds);
        }

        throw new NerubaConfigurationException(
            $"Neruba:Database:Provider is '{provider}', but it must be '{DatabaseProviders.Sqlite}' (embedded mode) or '{DatabaseProviders.SqlServer}' (server mode).");
    }
}
