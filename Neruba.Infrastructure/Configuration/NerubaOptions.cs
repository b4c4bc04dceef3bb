namespace Neruba.Infrastructure.Configuration;

/// <summary>The <c>Neruba</c> section of appsettings.json. Every key is listed in README.md.</summary>
public sealed class NerubaOptions
{
    public const string SectionName = "Neruba";

    /// <summary>Folder for the embedded database and other local files; relative paths are taken from the working directory.</summary>
    public string DataDirectory { get; set; } = "./data";

    public DatabaseOptions Database { get; set; } = new();

    public BootstrapOptions Bootstrap { get; set; } = new();

    /// <summary>Creates the demo project on start even when the database is not new (same as <c>--seed-demo</c>).</summary>
    public bool SeedDemo { get; set; }

    /// <summary>Gives the demo project plans, subscriptions and two months of usage, so a billing run has something to bill.</summary>
    public bool DemoBilling { get; set; }

    /// <summary>When scheduled billing runs are started (cron, UTC); empty turns them off, e.g. while migrating or in tests.</summary>
    public string? BillingSchedule { get; set; } = NerubaSettings.BillingScheduleDefault;
}

public sealed class DatabaseOptions
{
    /// <summary><c>Sqlite</c> (embedded mode, the default) or <c>SqlServer</c> (server mode).</summary>
    public string Provider { get; set; } = DatabaseProviders.Sqlite;

    /// <summary>Required in server mode. In embedded mode, optional: overrides the file under the data folder.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Server mode: how long a database that cannot be reached at start is retried (with backoff) before the app stops; containers often
    /// start before their database. 0 tries once.
    /// </summary>
    public int StartupWaitSeconds { get; set; } = 60;
}

public sealed class BootstrapOptions
{
    /// <summary>The first admin's email, used only when the database has no users yet.</summary>
    public string AdminEmail { get; set; } = "admin@neruba.local";

    /// <summary>The first admin's password; when empty one is generated and written once to the log.</summary>
    public string? AdminPassword { get; set; }
}

public static class DatabaseProviders
{
    public const string Sqlite = "Sqlite";
    public const string SqlServer = "SqlServer";
}
