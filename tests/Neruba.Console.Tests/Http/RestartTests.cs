using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Neruba.Console.Tests.Support;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Console.Tests.Http;

public class RestartTests
{
    [Fact]
    public async Task The_app_starts_again_on_its_existing_database_keeps_sessions_and_does_not_seed_twice()
    {
        var folder = Path.Combine(Path.GetTempPath(), "neruba-console-tests", Guid.NewGuid().ToString("N"));
        try
        {
            // Cookies ignore the port, so one cookie jar carries the session from the first run to the second.
            var cookies = new CookieContainer();
            using (var first = new ConsoleAppFactory(folder))
            using (var client = first.CreateBrowserClient(cookies))
            {
                await client.SignInAsync(ConsoleAppFactory.AdminEmail, ConsoleAppFactory.AdminPassword);
            }

            using var second = new ConsoleAppFactory(folder);
            using var again = second.CreateBrowserClient(cookies);
            using var home = await again.GetAsync(new Uri("/", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, home.StatusCode);
            Assert.Contains("Demo project", await home.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            await using var scope = second.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<NerubaDbContext>();
            Assert.Equal(1, await db.Projects.CountAsync());
            Assert.Equal(1, await db.Users.CountAsync());
            // The session survived on the key ring in the data folder, not on keys in the database.
            Assert.False(await KeyRingTests.KeyTableExistsAsync(db));
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(folder, "keys"), "*.xml"));
        }
        finally
        {
            ConsoleAppFactory.DeleteFolder(folder);
        }
    }
}
