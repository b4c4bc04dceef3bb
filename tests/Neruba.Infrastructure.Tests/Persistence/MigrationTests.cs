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

    private static SqlServerNerubaDbContext CreateOfflineSqlServerContext() =>
        new(new DbContextOptionsBuilder<SqlServerNerubaDbContext>()
            .UseSqlServer("Server=offline.invalid;Database=Neruba;Trusted_Connection=True;TrustServerCertificate=True")
            .Options);
}
