using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Neruba.Infrastructure.Persistence;
using Neruba.Infrastructure.Tests.Support;

namespace Neruba.Infrastructure.Tests.Persistence;

public class MigrationTests
{
    [Fact]
    public void The_sqlite_model_has_no_changes_missing_from_its_migrations()
    {
        using var db = new SqliteNerubaDbContext(new DbContextOptionsBuilder<SqliteNerubaDbContext>().UseSqlite("Data Source=:memory:").Options);
        Assert.False(db.Database.HasPendingModelChanges(),
            "The model changed without a SQLite migration: run `dotnet ef migrations add <Name> --project Neruba.Infrastructure --context SqliteNerubaDbContext --output-dir Persistence/Migrations/Sqlite`.");
    }

    [Fact]
    public void The_sql_server_model_has_no_changes_missing_from_its_migrations()
    {
        using var db = CreateOfflineSqlServerContext();
        Assert.False(db.Database.HasPendingModelChanges(),
            "The model changed without a SQL Server migration: run `dotnet ef migrations add <Name> --project Neruba.Infrastructure --context SqlServerNerubaDbContext --output-dir Persistence/Migrations/SqlServer`.");
    }

    [Fact]
    public void Both_providers_have_the_same_migrations()
    {
        using var sqlite = new SqliteNerubaDbContext(new DbContextOptionsBuilder<SqliteNerubaDbContext>().UseSqlite("Data Source=:memory:").Options);
        using var sqlServer = CreateOfflineSqlServerContext();
        static IEnumerable<string> Names(DbContext db) => db.Database.GetMigrations().Select(id => id[(id.IndexOf('_', StringComparison.Ordinal) + 1)..]);
        Assert.Equal(Names(sqlite), Names(sqlServer));
    }

    [Fact]
    public void The_sql_server_ddl_script_generates_without_a_server()
    {
        using var db = CreateOfflineSqlServerContext();
        var script = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        Assert.Contains("CREATE TABLE [Projects]", script, StringComparison.Ordinal);
        Assert.Contains("CREATE TABLE [ProjectMemberships]", script, StringComparison.Ordinal);
        Assert.Contains("CREATE TABLE [Customers]", script, StringComparison.Ordinal);
        Assert.Contains("CREATE TABLE [AspNetUsers]", script, StringComparison.Ordinal);
        Assert.Contains("CREATE UNIQUE INDEX [IX_Customers_ProjectId_ExternalId]", script, StringComparison.Ordinal);
        Assert.Contains("datetimeoffset", script, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrating_a_new_sqlite_file_applies_every_migration()
    {
        using var folder = new TempDataFolder();
        Directory.CreateDirectory(folder.Path);
        await using (var host = InfrastructureHost.Embedded(folder))
        await using (var scope = host.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NerubaDbContext>();
            await db.Database.MigrateAsync();

            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        }

        Assert.True(File.Exists(folder.DatabaseFile));
    }

    [Fact]
    public async Task Upgrading_gives_versions_their_plans_name_and_every_invoiced_month_the_cutoff_of_its_first_invoice()
    {
        using var folder = new TempDataFolder();
        Directory.CreateDirectory(folder.Path);
        await using var host = InfrastructureHost.Embedded(folder);
        await using var scope = host.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<NerubaDbContext>();
        var migrations = db.Database.GetMigrations().ToList();
        var upgrade = migrations.Single(m => m.EndsWith("_CutoffsFactsAndLeases", StringComparison.Ordinal));
        await db.Database.OpenConnectionAsync();
        await db.GetService<IMigrator>().MigrateAsync(migrations[migrations.IndexOf(upgrade) - 1]);

        // Rows as the version before wrote them (ids as upper-case text, times as UTC ticks); only the columns that matter here.
        static string G(Guid id) => id.ToString().ToUpperInvariant();
        var (project, plan, acme, globex) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var (firstRun, secondRun) = (Guid.NewGuid(), Guid.NewGuid());
        var month = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks;
        await db.Database.ExecuteSqlRawAsync("PRAGMA foreign_keys = OFF;");
#pragma warning disable EF1002 // Test-made ids and numbers only; the old schema has no entity classes left to insert through.
        await db.Database.ExecuteSqlRawAsync($"""
            INSERT INTO "Plans" ("Id", "ProjectId", "Code", "Name", "CreatedAt") VALUES ('{G(plan)}', '{G(project)}', 'pro', 'Pro', 0);
            INSERT INTO "PlanVersions" ("Id", "PlanId", "ProjectId", "Number", "Terms", "CreatedAt", "CreatedBy")
                VALUES ('{G(Guid.NewGuid())}', '{G(plan)}', '{G(project)}', 1, '[]', 0, 'admin');
            INSERT INTO "BillingRuns" ("Id", "ProjectId", "PeriodStart", "Kind", "Status", "TriggeredBy", "CreatedAt", "EventWatermark", "Total", "Done", "Failed")
                VALUES ('{G(firstRun)}', '{G(project)}', {month}, 'Manual', 'Succeeded', 'admin', 0, 10, 2, 2, 0),
                       ('{G(secondRun)}', '{G(project)}', {month}, 'Manual', 'Succeeded', 'admin', 0, 20, 2, 2, 0);
            INSERT INTO "Invoices" ("Id", "ProjectId", "CustomerId", "SubscriptionId", "PeriodStart", "PeriodEnd", "Revision", "Sequence", "Status", "Currency",
                    "Subtotal", "CreditsApplied", "AmountDue", "Draft", "DraftHash", "RunId", "FinalizedAt")
                VALUES ('{G(Guid.NewGuid())}', '{G(project)}', '{G(acme)}', '{G(Guid.NewGuid())}', {month}, 0, 0, 1, 'Finalized', 'USD', 0, 0, 0, '[]', '', '{G(firstRun)}', 5),
                       ('{G(Guid.NewGuid())}', '{G(project)}', '{G(acme)}', '{G(Guid.NewGuid())}', {month}, 0, 0, 3, 'Finalized', 'USD', 0, 0, 0, '[]', '', '{G(secondRun)}', 7),
                       ('{G(Guid.NewGuid())}', '{G(project)}', '{G(globex)}', '{G(Guid.NewGuid())}', {month}, 0, 0, 2, 'Finalized', 'USD', 0, 0, 0, '[]', '', '{G(secondRun)}', 6);
            """);
#pragma warning restore EF1002
        await db.GetService<IMigrator>().MigrateAsync();

        Assert.Equal("Pro", await db.PlanVersions.Select(v => v.Name).SingleAsync());
        var cutoffs = await db.UsageCutoffs.AsNoTracking().OrderBy(c => c.EventWatermark).ToListAsync();
        Assert.Equal([(project, acme, month, 10L, firstRun), (project, globex, month, 20L, secondRun)],
            cutoffs.Select(c => (c.ProjectId, c.CustomerId, c.PeriodStart.UtcTicks, c.EventWatermark, c.RunId)));
    }

    internal static SqlServerNerubaDbContext CreateOfflineSqlServerContext() =>
        new(new DbContextOptionsBuilder<SqlServerNerubaDbContext>()
            .UseSqlServer("Server=offline.invalid;Database=Neruba;Trusted_Connection=True;TrustServerCertificate=True")
            .Options);
}
