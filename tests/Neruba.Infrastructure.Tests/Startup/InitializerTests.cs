using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Neruba.Domain.Access;
using Neruba.Infrastructure.Access;
using Neruba.Infrastructure.Access.Accounts;
using Neruba.Infrastructure.Persistence;
using Neruba.Infrastructure.Tests.Support;

namespace Neruba.Infrastructure.Tests.Startup;

public class InitializerTests
{
    private const string Password = "Correct-Horse-42!";

    [Fact]
    public async Task First_start_creates_the_database_file_the_admin_and_the_demo_project()
    {
        using var folder = new TempDataFolder();
        await using var host = InfrastructureHost.Embedded(folder, Password);

        await host.InitializeAsync();

        Assert.True(File.Exists(folder.DatabaseFile));
        if (!OperatingSystem.IsWindows())
        {
            // The database holds password and key hashes: the folder is the owner's alone.
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(folder.DatabaseFile)!));
        }

        await using var scope = host.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<NerubaUser>>();
        var admin = await users.FindByEmailAsync("admin@example.test");
        Assert.NotNull(admin);
        Assert.True(await users.CheckPasswordAsync(admin, Password));

        var db = scope.ServiceProvider.GetRequiredService<NerubaDbContext>();
        var demo = await db.Projects.SingleAsync();
        Assert.Equal("demo", demo.Slug);
        var membership = await db.ProjectMemberships.SingleAsync();
        Assert.Equal((demo.Id, admin.Id, ProjectRole.Admin), (membership.ProjectId, membership.UserId, membership.Role));
        Assert.True(await db.Customers.CountAsync(c => c.ProjectId == demo.Id) >= 3);
    }

    [Fact]
    public async Task A_second_start_on_the_same_database_adds_nothing()
    {
        using var folder = new TempDataFolder();
        await using (var first = InfrastructureHost.Embedded(folder, Password))
        {
            await first.InitializeAsync();
        }

        var before = await CountRowsAsync(folder);
        await using (var second = InfrastructureHost.Embedded(folder, Password))
        {
            await second.InitializeAsync(seedDemo: true);
        }

        Assert.Equal(before, await CountRowsAsync(folder));
    }

    [Fact]
    public async Task Without_a_configured_password_one_is_generated_and_logged_once()
    {
        using var folder = new TempDataFolder();
        await using var host = InfrastructureHost.Embedded(folder, adminPassword: null);

        await host.InitializeAsync();
        await host.InitializeAsync();

        var notices = host.Logs.Lines.Where(l => l.Message.Contains("generated password", StringComparison.Ordinal)).ToList();
        var notice = Assert.Single(notices);
        Assert.Equal(LogLevel.Warning, notice.Level);

        var password = notice.Message.Split("generated password ")[1].Split(' ')[0];
        await using var scope = host.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<NerubaUser>>();
        var admin = await users.FindByEmailAsync("admin@example.test");
        Assert.True(await users.CheckPasswordAsync(admin!, password));
        Assert.True(await users.MustChangePasswordAsync(admin!), "A generated password printed to the log must be replaced at the first sign-in.");
    }

    [Fact]
    public async Task A_fresh_start_with_a_configured_password_writes_no_warning_to_the_log()
    {
        using var folder = new TempDataFolder();
        await using var host = InfrastructureHost.Embedded(folder, Password);

        await host.InitializeAsync();

        // A new operator's first look at the log: migrations, admin and demo, nothing that reads like something went wrong.
        Assert.Empty(host.Logs.Lines.Where(l => l.Level >= LogLevel.Warning).Select(l => l.Message));
        Assert.Contains(host.Logs.Lines, l => l.Message.Contains("is the system administrator", StringComparison.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(Path.GetDirectoryName(folder.DatabaseFile)!, "backups")), "A new database has nothing to back up.");
    }

    [Fact]
    public async Task Upgrading_an_existing_database_first_copies_it_aside_and_says_where()
    {
        using var folder = new TempDataFolder();
        await using (var old = InfrastructureHost.Embedded(folder, Password))
        {
            await old.InitializeAsync();
            await using var scope = old.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<NerubaDbContext>();
            var migrations = db.Database.GetMigrations().ToList();
            // Step back two migrations: the file is as an older Neruba left it.
            await db.GetService<IMigrator>().MigrateAsync(migrations[^3]);
        }

        await using var host = InfrastructureHost.Embedded(folder, Password);
        await host.InitializeAsync();

        var backups = Directory.GetFiles(Path.Combine(Path.GetDirectoryName(folder.DatabaseFile)!, "backups"));
        var backup = Assert.Single(backups);
        var notice = Assert.Single(host.Logs.Lines, l => l.Message.StartsWith("Upgrading the database: 2 migration(s)", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Information, notice.Level);
        Assert.Contains(backup, notice.Message, StringComparison.Ordinal);
        Assert.Empty(host.Logs.Lines.Where(l => l.Level >= LogLevel.Warning).Select(l => l.Message));

        // The copy is the database as it was: the older migration history, and the data.
        await using var copy = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={backup};Mode=ReadOnly;Pooling=False");
        await copy.OpenAsync();
        await using var command = copy.CreateCommand();
        command.CommandText = "SELECT (SELECT COUNT(*) FROM __EFMigrationsHistory), (SELECT COUNT(*) FROM Customers)";
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        await using var live = host.CreateScope();
        var liveDb = live.ServiceProvider.GetRequiredService<NerubaDbContext>();
        Assert.Equal(liveDb.Database.GetMigrations().Count() - 2, reader.GetInt32(0));
        Assert.Equal(await liveDb.Customers.CountAsync(), reader.GetInt32(1));
    }

    [Fact]
    public async Task A_configured_admin_password_need_not_be_changed()
    {
        using var folder = new TempDataFolder();
        await using var host = InfrastructureHost.Embedded(folder, Password);

        await host.InitializeAsync();

        await using var scope = host.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<NerubaUser>>();
        Assert.False(await users.MustChangePasswordAsync((await users.FindByEmailAsync("admin@example.test"))!));
    }

    [Fact]
    public async Task A_configured_password_that_breaks_the_rules_stops_start_naming_the_key()
    {
        using var folder = new TempDataFolder();
        await using var host = InfrastructureHost.Embedded(folder, adminPassword: "short");

        var error = await Assert.ThrowsAsync<Neruba.Infrastructure.Configuration.NerubaConfigurationException>(() => host.InitializeAsync());
        Assert.Contains("Neruba:Bootstrap:AdminPassword", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Seeding_the_demo_on_an_existing_database_makes_the_first_user_its_admin()
    {
        using var folder = new TempDataFolder();
        await using var host = InfrastructureHost.Embedded(folder, Password);
        await host.InitializeAsync();
        await using (var scope = host.CreateScope())
        {
            // Simulate a database that was created without the demo (e.g. server mode).
            var db = scope.ServiceProvider.GetRequiredService<NerubaDbContext>();
            db.Customers.RemoveRange(db.Customers);
            db.ProjectMemberships.RemoveRange(db.ProjectMemberships);
            db.Projects.RemoveRange(db.Projects);
            await db.SaveChangesAsync();
        }

        await host.InitializeAsync(seedDemo: true);

        await using var check = host.CreateScope();
        var access = await check.ServiceProvider.GetRequiredService<ProjectAccessService>()
            .GetAsync((await check.ServiceProvider.GetRequiredService<UserManager<NerubaUser>>().FindByEmailAsync("admin@example.test"))!.Id);
        Assert.Equal(ProjectRole.Admin, access.Current?.Role);
        Assert.Equal("Demo project", access.Current?.ProjectName);
    }

    private static async Task<(int Users, int Projects, int Memberships, int Customers)> CountRowsAsync(TempDataFolder folder)
    {
        await using var db = new SqliteNerubaDbContext(new DbContextOptionsBuilder<SqliteNerubaDbContext>()
            .UseSqlite($"Data Source={folder.DatabaseFile}").Options);
        return (await db.Users.CountAsync(), await db.Projects.CountAsync(), await db.ProjectMemberships.CountAsync(), await db.Customers.CountAsync());
    }
}
