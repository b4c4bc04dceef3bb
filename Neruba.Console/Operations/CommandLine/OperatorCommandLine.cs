using System.Globalization;
using Neruba.Console.Configuration;
using Neruba.Infrastructure;
using Neruba.Infrastructure.Configuration;
using Neruba.Infrastructure.Ledger.Integrity;
using Neruba.Infrastructure.Operations.CommandLine;
using Neruba.Infrastructure.Startup;

namespace Neruba.Console.Operations.CommandLine;

/// <summary>
/// The operator command line on the console's own executable: <c>dotnet run --project Neruba.Console -- &lt;command&gt;</c> (or
/// <c>dotnet Neruba.Console.dll &lt;command&gt;</c>). A command reads the same configuration as the app, never starts the web server, prints
/// words and exits 0 on success, non-zero with one sentence on failure.
/// </summary>
public static class OperatorCommandLine
{
    public sealed record Context(CommandOptions Options, IServiceProvider Services, TextWriter Out, CancellationToken Cancellation);

    public sealed record Command(string Name, string Usage, string Summary, string Example, string[] Options, bool NeedsDatabase, Func<Context, Task<int>> Run);

    private const string Run = "dotnet run --project Neruba.Console --";

    public static readonly IReadOnlyList<Command> Commands =
    [
        new("migrate", "migrate", "Apply pending migrations (embedded: after copying the database to data/backups).", $"{Run} migrate", [], true,
            OperatorCommands.MigrateAsync),
        new("create-admin", "create-admin <email> [--project <name or slug>]",
            "Create a system administrator who is Admin of the project; prints a one-time password once.",
            $"{Run} create-admin ops@example.com --project demo", ["project"], true, OperatorCommands.CreateAdminAsync),
        new("create-api-key", "create-api-key --project <name or slug> --scopes <scope,scope> [--name <name>] [--expires <days>] [--as <admin email>]",
            "Create an API key as Settings → API keys does; prints its secret once.",
            $"{Run} create-api-key --project demo --scopes usage:write,billing:read --name \"Ingest\"", ["project", "scopes", "name", "expires", "as"], true,
            OperatorCommands.CreateApiKeyAsync),
        new("verify-ledger", "verify-ledger [--project <name or slug>]",
            "Run the money-integrity check; exit 1 when a project fails, 2 when the check could not run.", $"{Run} verify-ledger", ["project"], true,
            OperatorCommands.VerifyLedgerAsync),
        new("migrations-script", "migrations-script --provider SqlServer|Sqlite [--output <file>]",
            "Write the DDL of every migration for a DBA (idempotent for SQL Server); needs no database.",
            $"{Run} migrations-script --provider SqlServer --output neruba.sql", ["provider", "output"], false, OperatorCommands.MigrationsScriptAsync),
        new("backup", "backup [--to <file>]", "Copy the embedded database with SQLite's online backup (safe while the console runs) and check the copy.",
            $"{Run} backup", ["to"], true, OperatorCommands.BackupAsync),
        new("seed-demo", "seed-demo", "Seed the demo project into the database (skipped when it exists).", $"{Run} seed-demo", [], true, OperatorCommands.SeedDemoAsync),
        new("help", "help", "List the commands.", $"{Run} help", [], false, context => OperatorCommands.HelpAsync(context, Commands!)),
    ];

    /// <param name="configure">Test hook: configuration added last (it wins over the file and the environment).</param>
    public static async Task<int> RunAsync(NerubaCommandLine commandLine, TextWriter output, TextWriter error,
        IReadOnlyDictionary<string, string?>? configure = null, CancellationToken cancellationToken = default)
    {
        var name = commandLine.Command ?? "help";
        var command = Commands.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.Ordinal))
            ?? (name is "--help" or "-h" ? Commands[^1] : null);
        if (command is null)
        {
            await error.WriteLineAsync($"Neruba: there is no command '{name}'. Commands: {string.Join(", ", Commands.Select(c => c.Name))} (see `{Run} help`).");
            return 2;
        }

        try
        {
            var options = CommandOptions.Parse(command.Name, commandLine.CommandArgs ?? [], command.Options.ToHashSet(StringComparer.OrdinalIgnoreCase));
            if (!command.NeedsDatabase)
            {
                return await command.Run(new Context(options, EmptyServices.Instance, output, cancellationToken));
            }

            await using var app = BuildHost(options.HostArgs, configure);
            await using var scope = app.Services.CreateAsyncScope();
            return await command.Run(new Context(options, scope.ServiceProvider, output, cancellationToken));
        }
        catch (OperatorCommandException exception)
        {
            await error.WriteLineAsync($"Neruba: {exception.Message}");
            return 1;
        }
        catch (NerubaConfigurationException exception)
        {
            // The command could not run at all (bad configuration, database unreachable): 2, apart from 1 = "ran and refused / found problems".
            await error.WriteLineAsync($"Neruba cannot start: {exception.Message}");
            return 2;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            await error.WriteLineAsync($"Neruba: {command.Name} could not run: {exception.GetType().Name}: {exception.Message.Split('\n')[0].Trim()}");
            return 2;
        }
    }

    /// <summary>The app's services on the app's configuration, without Kestrel or hosted services started: the command is the only work.</summary>
    private static WebApplication BuildHost(string[] hostArgs, IReadOnlyDictionary<string, string?>? configure)
    {
        var builder = WebApplication.CreateBuilder(hostArgs);
        builder.Configuration.UseNerubaConfigurationFile();
        if (configure is not null)
        {
            builder.Configuration.AddInMemoryCollection(configure);
        }

        // A command's own words go to stdout (a script can take a key's secret from the last line); the log goes to stderr and only says what
        // went wrong, or that a database is being waited for.
        builder.Configuration["Logging:LogLevel:Default"] = nameof(LogLevel.Warning);
        builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.AddNerubaInfrastructure(builder.Configuration);
        return builder.Build();
    }

    private sealed class EmptyServices : IServiceProvider
    {
        public static readonly EmptyServices Instance = new();

        public object? GetService(Type serviceType) => null;
    }

    internal static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
