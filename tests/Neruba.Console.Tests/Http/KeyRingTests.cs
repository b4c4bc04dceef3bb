using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Neruba.Console.Tests.Support;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Console.Tests.Http;

/// <summary>The keys that sign cookies live in the data folder, readable by the app's account only, not in the database.</summary>
public sealed class KeyRingTests
{
    [Fact]
    public async Task Cookie_signing_keys_land_in_the_data_folder_owner_only_and_not_in_the_database()
    {
        using var app = new ConsoleAppFactory();
        using var client = app.CreateBrowserClient();
        await client.SignInAsync(ConsoleAppFactory.AdminEmail, ConsoleAppFactory.AdminPassword);
        using var home = await client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);

        var keys = Path.Combine(app.DataDirectory, "keys");
        var files = Directory.GetFiles(keys);
        Assert.NotEmpty(files);
        Assert.All(files, file => Assert.EndsWith(".xml", file, StringComparison.Ordinal));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(keys));
            foreach (var file in files)
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }
        }

        await using var scope = app.Services.CreateAsyncScope();
        Assert.False(await KeyTableExistsAsync(scope.ServiceProvider.GetRequiredService<NerubaDbContext>()));
    }

    /// <summary>Whether the database still has the table that once held the cookie keys (dropped: keys never live beside the data).</summary>
    internal static async Task<bool> KeyTableExistsAsync(NerubaDbContext db) =>
        await db.Database.SqlQueryRaw<int>("SELECT COUNT(*) AS \"Value\" FROM sqlite_master WHERE type = 'table' AND name = 'DataProtectionKeys'").SingleAsync() > 0;
}
