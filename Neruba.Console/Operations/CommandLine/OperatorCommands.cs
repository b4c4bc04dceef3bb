using Neruba.Infrastructure.Ledger.Integrity;
using Neruba.Infrastructure.Operations.CommandLine;
using Neruba.Infrastructure.Startup;
using static Neruba.Console.Operations.CommandLine.OperatorCommandLine;

namespace Neruba.Console.Operations.CommandLine;

/// <summary>What each operator command does, in words on stdout. The work itself is in the infrastructure's services, shared with the app.</summary>
internal static class OperatorCommands
{
    public static async Task<int> MigrateAsync(Context context)
    {
        var applied = await context.Services.GetRequiredService<NerubaInitializer>().MigrateOnlyAsync(context.Cancellation);
        await context.Out.WriteLineAsync(applied.Count == 0
            ? "Database is up to date."
            : $"Applied {applied.Count} migration(s): {string.Join(", ", applied)}.");
        return 0;
    }

    /// <summary>
    /// Every command but <c>migrate</c> and <c>seed-demo</c> works on an existing database: run from the wrong folder, the relative default data
    /// folder would otherwise get a new, empty database, and <c>verify-ledger</c> would "pass" it.
    /// </summary>
    private static async Task UseExistingDatabaseAsync(Context context)
    {
        var settings = context.Services.GetRequiredService<Infrastructure.Configuration.NerubaSettings>();
        var file = settings.IsEmbedded ? new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(settings.ConnectionString).DataSource : null;
        if (file is not null && !File.Exists(file))
        {
            throw new OperatorCommandException($"There is no database at {file}. Run the command from the folder the console runs in, or set "
                + "Neruba:DataDirectory (Neruba__DataDirectory); `migrate` creates a new one.");
        }

        await context.Services.GetRequiredService<NerubaInitializer>().MigrateOnlyAsync(context.Cancellation);
    }

    public static async Task<int> CreateAdminAsync(Context context)
    {
        var email = context.Options.Positional.Count == 1 ? context.Options.Positional[0]
            : throw new OperatorCommandException("create-admin takes one email address: create-admin <email> [--project <name or slug>].");
        await UseExistingDatabaseAsync(context);
        var (project, password) = await context.Services.GetRequiredService<OperatorAccounts>().CreateAdminAsync(email, context.Options["project"], context.Cancellation);
        await context.Out.WriteLineAsync($"Created {email.Trim()}: system administrator and Admin of {project}.");
        await context.Out.WriteLineAsync($"One-time password (shown only now; it must be changed at the first sign-in): {password}");
        return 0;
    }

    public static async Task<int> CreateApiKeyAsync(Context context)
    {
        var scopes = (context.Options["scopes"] ?? throw new OperatorCommandException("Name the key's scopes with --scopes, e.g. --scopes usage:write,billing:read."))
            .Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        await UseExistingDatabaseAsync(context);
        var key = await context.Services.GetRequiredService<OperatorAccounts>().CreateApiKeyAsync(context.Options["project"], scopes, context.Options["name"],
            context.Options.WholeNumber("expires"), context.Options["as"], context.Cancellation);
        await context.Out.WriteLineAsync($"Created API key \"{key.Name}\" ({key.Prefix}…) in {key.Project} for {key.Owner}: {string.Join(", ", key.Scopes)}"
            + (key.ExpiresAt is { } expires ? Invariant($", expires {expires:yyyy-MM-dd HH:mm} UTC.") : ", no expiry."));
        await context.Out.WriteLineAsync("Secret (shown only now; send it as \"Authorization: Bearer <secret>\"):");
        await context.Out.WriteLineAsync(key.Secret);
        return 0;
    }

    /// <summary>Exit 0 when every project passed, 1 when one failed, 2 when the check could not run for one.</summary>
    public static async Task<int> VerifyLedgerAsync(Context context)
    {
        await UseExistingDatabaseAsync(context);
        IReadOnlyCollection<Guid>? only = context.Options["project"] is { } named
            ? [(await context.Services.GetRequiredService<OperatorAccounts>().FindProjectAsync(named, context.Cancellation)).Id]
            : null;
        var results = await context.Services.GetRequiredService<LedgerIntegrity>()
            .CheckProjectsAsync(LedgerIntegrityTriggers.CommandLine, OperatorAccounts.ActorName, only, context.Cancellation);
        if (results.Count == 0)
        {
            // Nothing checked is not a pass: a scheduler must not read "0" from an empty database.
            await context.Out.WriteLineAsync("There is no project to check.");
            return 2;
        }

        foreach (var (project, result) in results)
        {
            var r = result.Record;
            await context.Out.WriteLineAsync(r.Status switch
            {
                LedgerIntegrityStatus.Passed => Invariant($"{project}: passed ({r.EntriesChecked:N0} entries, {r.WalletsChecked:N0} wallets, {r.InvoicesChecked:N0} invoices)."),
                LedgerIntegrityStatus.Failed => $"{project}: FAILED, {r.ProblemCount} problem(s):",
                _ => $"{project}: the check could not run: {r.Error}",
            });
            foreach (var problem in result.Problems)
            {
                await context.Out.WriteLineAsync($"  {problem.Kind} {problem.Id}: {problem.Words}");
            }
        }

        return results.Any(r => r.Result.Record.Status == LedgerIntegrityStatus.Errored) ? 2
            : results.Any(r => r.Result.Record.Status == LedgerIntegrityStatus.Failed) ? 1 : 0;
    }

    public static async Task<int> MigrationsScriptAsync(Context context)
    {
        var script = OperatorDatabase.MigrationsScript(context.Options["provider"]
            ?? throw new OperatorCommandException("Name the provider with --provider SqlServer or --provider Sqlite."));
        if (context.Options["output"] is { } file)
        {
            await File.WriteAllTextAsync(file, script, context.Cancellation);
            await context.Out.WriteLineAsync($"Wrote {Path.GetFullPath(file)} ({script.Length:N0} characters).");
        }
        else
        {
            await context.Out.WriteAsync(script);
        }

        return 0;
    }

    public static async Task<int> BackupAsync(Context context)
    {
        var backup = await context.Services.GetRequiredService<OperatorDatabase>().BackupAsync(context.Options["to"], context.Cancellation);
        await context.Out.WriteLineAsync(Invariant($"Backed up to {backup.Path} ({backup.Bytes:N0} bytes); the copy passed SQLite's integrity check."));
        return 0;
    }

    public static async Task<int> SeedDemoAsync(Context context)
    {
        await context.Services.GetRequiredService<NerubaInitializer>().InitializeAsync(seedDemoRequested: true, context.Cancellation);
        await context.Out.WriteLineAsync("The demo project is in the database (seeded now, or left as it was when it existed).");
        return 0;
    }

    public static async Task<int> HelpAsync(Context context, IReadOnlyList<Command> commands)
    {
        await context.Out.WriteLineAsync("Neruba operator commands (same configuration as the app; the web server is not started):");
        foreach (var command in commands)
        {
            await context.Out.WriteLineAsync($"  {command.Usage}");
            await context.Out.WriteLineAsync($"      {command.Summary}");
            await context.Out.WriteLineAsync($"      e.g. {command.Example}");
        }

        await context.Out.WriteLineAsync("Without a command the console starts (add --seed-demo to seed the demo).");
        return 0;
    }
}
