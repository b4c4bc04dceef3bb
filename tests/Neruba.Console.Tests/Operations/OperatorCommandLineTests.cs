using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using Neruba.Console.Configuration;
using Neruba.Console.Operations.CommandLine;
using Neruba.Console.Tests.Support;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Console.Tests.Operations;

/// <summary>The operator command line against real data folders: what it prints, its exit codes, and that what it makes works in the app.</summary>
public sealed class OperatorCommandLineTests
{
    [Fact]
    public async Task A_key_made_on_the_command_line_sends_events_through_the_api_and_is_audited_as_made_there()
    {
        using var app = new ConsoleAppFactory();
        await app.DemoProjectIdAsync();

        var (code, output, error) = await RunAsync(app.DataDirectory, "create-api-key", "--project", "demo", "--scopes", "usage:write,setup:write", "--name", "Ingest");

        Assert.True(code == 0, error);
        Assert.Contains("Created API key \"Ingest\"", output, StringComparison.Ordinal);
        var secret = output.Trim().Split('\n')[^1].Trim();
        Assert.StartsWith("nrb_", secret, StringComparison.Ordinal);
        using var client = app.CreateApiClient(secret);
        using var metric = await client.PutAsJsonAsync("/api/v1/metrics/api_calls", new { name = "API calls", aggregation = "count" });
        Assert.True(metric.IsSuccessStatusCode, await metric.Content.ReadAsStringAsync());
        using var events = await client.PostAsJsonAsync("/api/v1/events", new
        {
            events = new[] { new { eventId = "cli-1", customerId = "cus_acme", metric = "api_calls", occurredAt = "2026-01-01T00:00:00Z" } },
        });
        Assert.Equal(HttpStatusCode.OK, events.StatusCode);
        var result = await events.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("accepted", result.GetProperty("results")[0].GetProperty("status").GetString());
        var audit = await QueryAsync(app, db => db.AuditEntries.SingleAsync(a => a.Action == "api_key.created"));
        Assert.Equal("admin@example.test (command line)", audit.ActorName);
    }

    [Theory]
    [InlineData(new[] { "create-api-key", "--project", "demo", "--scopes", "usage:write,everything" }, "'everything' is not a scope")]
    [InlineData(new[] { "create-api-key", "--project", "nowhere", "--scopes", "usage:write" }, "There is no project 'nowhere'")]
    [InlineData(new[] { "create-api-key", "--project", "demo" }, "Name the key's scopes with --scopes")]
    [InlineData(new[] { "create-api-key", "--project", "demo", "--scopes", "usage:write", "--as", "stranger@example.test" }, "is not an Admin of project")]
    [InlineData(new[] { "create-api-key", "--project", "demo", "--scopes", "usage:write", "--colour", "red" }, "not --colour")]
    [InlineData(new[] { "create-admin", "admin@example.test" }, "already exists")]
    [InlineData(new[] { "create-admin", "not-an-email" }, "is not an email address")]
    public async Task Bad_requests_exit_non_zero_with_one_sentence_and_create_nothing(string[] args, string words)
    {
        using var app = new ConsoleAppFactory();
        await app.DemoProjectIdAsync();
        var keysBefore = await QueryAsync(app, db => db.ApiKeys.CountAsync());

        var (code, output, error) = await RunAsync(app.DataDirectory, args);

        Assert.Equal(1, code);
        Assert.Contains(words, error, StringComparison.Ordinal);
        Assert.StartsWith("Neruba: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error + output, StringComparison.Ordinal);
        Assert.Equal(keysBefore, await QueryAsync(app, db => db.ApiKeys.CountAsync()));
    }

    [Fact]
    public async Task Create_admin_prints_a_one_time_password_that_signs_in_and_must_be_changed()
    {
        using var app = new ConsoleAppFactory();
        await app.DemoProjectIdAsync();

        var (code, output, error) = await RunAsync(app.DataDirectory, "create-admin", "ops@example.test", "--project", "Demo project");

        Assert.True(code == 0, error);
        var password = output.Split("(shown only now; it must be changed at the first sign-in): ")[1].Trim();
        using var browser = app.CreateBrowserClient();
        using var signIn = await browser.PostSignInAsync("ops@example.test", password);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Contains("change-password", signIn.Headers.Location?.ToString(), StringComparison.Ordinal);
        var audits = await QueryAsync(app, db => db.AuditEntries.Where(a => a.ActorName == "command line").Select(a => a.Action).ToListAsync());
        Assert.Equal(["member.added", "system_admin.granted"], audits.Order());
    }

    [Fact]
    public async Task Migrate_on_a_new_folder_applies_every_migration_and_then_says_it_is_up_to_date()
    {
        var folder = Path.Combine(Path.GetTempPath(), "neruba-cli-tests", Guid.NewGuid().ToString("N"));
        try
        {
            var first = await RunAsync(folder, "migrate");
            var second = await RunAsync(folder, "migrate");

            Assert.True(first.Code == 0, first.Error);
            // Every migration by name, the first and the latest included.
            var migrations = OperatorDatabaseMigrations();
            Assert.Equal($"Applied {migrations.Count} migration(s): {string.Join(", ", migrations)}.", first.Output.Trim());
            Assert.Equal((0, "Database is up to date."), (second.Code, second.Output.Trim()));
        }
        finally
        {
            ConsoleAppFactory.DeleteFolder(folder);
        }
    }

    [Fact]
    public async Task The_sql_server_script_is_idempotent_and_parses_as_t_sql_without_a_server()
    {
        var file = Path.Combine(Path.GetTempPath(), $"neruba-{Guid.NewGuid():N}.sql");
        try
        {
            var (code, output, error) = await RunAsync(null, "migrations-script", "--provider", "SqlServer", "--output", file);

            Assert.True(code == 0, error);
            Assert.Contains("Wrote ", output, StringComparison.Ordinal);
            var script = await File.ReadAllTextAsync(file);
            Assert.Contains("IF NOT EXISTS (\n    SELECT * FROM [__EFMigrationsHistory]", script.ReplaceLineEndings("\n"), StringComparison.Ordinal);
            Assert.Contains("CREATE TABLE [LedgerIntegrityChecks]", script, StringComparison.Ordinal);
            new TSql160Parser(initialQuotedIdentifiers: true).Parse(new StringReader(script), out var errors);
            Assert.Empty(errors);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_backup_taken_while_the_app_writes_opens_with_the_rows_and_passes_sqlites_check()
    {
        using var app = new ConsoleAppFactory();
        await app.DemoProjectIdAsync();
        var key = await app.CreateApiKeyAsync(null, "setup:write");
        using var client = app.CreateApiClient(key);
        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                using var response = await client.PutAsJsonAsync($"/api/v1/metrics/m{i}", new { name = $"Metric {i}", aggregation = "count" });
            }
        });
        var target = Path.Combine(app.DataDirectory, "backups", "during-writes.db");

        var (code, output, error) = await RunAsync(app.DataDirectory, "backup", "--to", target);
        await writer;

        Assert.True(code == 0, error);
        Assert.Contains("passed SQLite's integrity check", output, StringComparison.Ordinal);
        await using var copy = new SqliteConnection($"Data Source={target};Mode=ReadOnly;Pooling=False");
        await copy.OpenAsync();
        await using var count = copy.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM Customers";
        Assert.Equal(6L, (long)(await count.ExecuteScalarAsync())!);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(target));
        }

        var again = await RunAsync(app.DataDirectory, "backup", "--to", target);
        Assert.Equal(1, again.Code);
        Assert.Contains("already exists", again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_ledger_passes_a_clean_ledger_and_fails_with_the_offending_ids_after_damage()
    {
        // With the demo's billing data: its plan credit lands in wallets, so there are credit blocks to damage.
        using var app = new ConsoleAppFactory(settings: new Dictionary<string, string> { ["Neruba:DemoBilling"] = "true" });
        await app.DemoProjectIdAsync();

        var clean = await RunAsync(app.DataDirectory, "verify-ledger");
        var changed = await QueryAsync(app, db => db.Database.ExecuteSqlRawAsync("UPDATE Postings SET CreditBlockId = NULL WHERE Id = (SELECT Id FROM Postings WHERE CreditBlockId IS NOT NULL LIMIT 1)"));
        Assert.Equal(1, changed);
        var damaged = await RunAsync(app.DataDirectory, "verify-ledger", "--project", "demo");

        Assert.True(clean.Code == 0, clean.Error + clean.Output);
        Assert.Matches("Demo project: passed \\([0-9]+ entries", clean.Output);
        Assert.True(damaged.Code == 1, damaged.Output + damaged.Error);
        Assert.Contains("Demo project: FAILED", damaged.Output, StringComparison.Ordinal);
        Assert.Contains("WalletWithoutBlock", damaged.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("verify-ledger")]
    [InlineData("create-api-key", "--project", "demo", "--scopes", "billing:read")]
    [InlineData("create-admin", "ops@example.test")]
    public async Task Run_from_a_folder_without_a_database_a_command_says_so_and_creates_none(params string[] args)
    {
        var folder = Path.Combine(Path.GetTempPath(), "neruba-cli-tests", Guid.NewGuid().ToString("N"));
        try
        {
            var (code, _, error) = await RunAsync(folder, args);

            Assert.Equal(1, code);
            Assert.Contains("There is no database at", error, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(folder, "neruba.db")));
        }
        finally
        {
            ConsoleAppFactory.DeleteFolder(folder);
        }
    }

    [Fact]
    public async Task Help_lists_every_command_with_an_example_and_an_unknown_command_is_refused()
    {
        var help = await RunAsync(null, "help");
        var unknown = await RunAsync(null, "frobnicate");

        Assert.Equal(0, help.Code);
        Assert.All(OperatorCommandLine.Commands, c => Assert.Contains($"e.g. dotnet run --project Neruba.Console -- {c.Name}", help.Output, StringComparison.Ordinal));
        Assert.Equal(2, unknown.Code);
        Assert.Contains("there is no command 'frobnicate'", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_command_in_server_mode_with_an_unreachable_database_stops_with_one_sentence_naming_the_server_and_the_setting()
    {
        var (code, output, error) = await RunAsync(null, "migrate", "--Neruba:Database:Provider=SqlServer",
            "--Neruba:Database:ConnectionString=Server=127.0.0.1,1;Database=neruba;User Id=sa;Password=Not-To-Be-Printed-42;Connect Timeout=1",
            "--Neruba:Database:StartupWaitSeconds=2");

        // 2: the command could not run at all (1 is kept for "ran and refused, or found problems").
        Assert.Equal(2, code);
        Assert.StartsWith("Neruba cannot start: the database server '127.0.0.1,1' could not be reached within 2 s", error.Trim(), StringComparison.Ordinal);
        Assert.Contains("Neruba:Database:StartupWaitSeconds", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Not-To-Be-Printed-42", output + error, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(string? dataDirectory, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var settings = new Dictionary<string, string?>
        {
            ["Neruba:DataDirectory"] = dataDirectory ?? Path.Combine(Path.GetTempPath(), "neruba-cli-tests", "unused"),
            ["Neruba:DemoBilling"] = "false",
        };
        var code = await OperatorCommandLine.RunAsync(NerubaCommandLine.Parse(args), output, error, settings);
        return (code, output.ToString(), error.ToString());
    }

    private static async Task<T> QueryAsync<T>(ConsoleAppFactory app, Func<NerubaDbContext, Task<T>> query)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<NerubaDbContext>());
    }

    /// <summary>Every migration the embedded database gets, in order, as the assembly defines them.</summary>
    private static List<string> OperatorDatabaseMigrations()
    {
        using var db = new Neruba.Infrastructure.Persistence.SqliteNerubaDbContext(
            new DbContextOptionsBuilder<Neruba.Infrastructure.Persistence.SqliteNerubaDbContext>().UseSqlite("Data Source=:memory:").Options);
        return db.Database.GetMigrations().ToList();
    }
}
