using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Neruba.Console.Tests.Support;

namespace Neruba.Console.Tests.Http;

public class HealthTests
{
    [Fact]
    public async Task Live_answers_healthy_json_without_signing_in()
    {
        using var app = new ConsoleAppFactory();
        using var client = app.CreateBrowserClient();

        using var response = await client.GetAsync(new Uri("/health/live", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Ready_reports_the_database_and_the_job_server()
    {
        using var app = new ConsoleAppFactory();
        using var client = app.CreateBrowserClient();

        var (status, body) = await GetReadyAsync(client, until: HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.OK, status);
        var checks = body.RootElement.GetProperty("checks").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("status").GetString());
        Assert.Equal("Healthy", checks["database"]);
        Assert.Equal("Healthy", checks["jobs"]);
    }

    [Fact]
    public async Task Ready_is_unhealthy_when_the_database_is_not()
    {
        using var app = new ConsoleAppFactory();
        using var client = app.CreateBrowserClient();
        await GetReadyAsync(client, until: HttpStatusCode.OK);

        // Corrupt the file in place: every connection, pooled or new, now finds no database.
        SqliteConnection.ClearAllPools();
        await File.WriteAllTextAsync(app.DatabaseFile, new string('x', 4096));

        var (status, body) = await GetReadyAsync(client, until: HttpStatusCode.ServiceUnavailable);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("Unhealthy", body.RootElement.GetProperty("status").GetString());
        var database = body.RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "database");
        Assert.Equal("Unhealthy", database.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Ready_notices_a_database_file_that_is_gone_on_the_next_check_says_so_without_the_exception_and_recovers()
    {
        using var app = new ConsoleAppFactory();
        using var client = app.CreateBrowserClient();
        await GetReadyAsync(client, until: HttpStatusCode.OK);

        // The pooled connections still hold the old file open and would keep answering: only a fresh one notices.
        File.Move(app.DatabaseFile, app.DatabaseFile + ".away");
        try
        {
            using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
            var text = await response.Content.ReadAsStringAsync();

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            using var body = JsonDocument.Parse(text);
            var database = body.RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "database");
            Assert.Equal(("Unhealthy", "The database cannot be opened or written."),
                (database.GetProperty("status").GetString(), database.GetProperty("description").GetString()));
            foreach (var leak in new[] { "SQLite", "Exception", "unable to open", app.DataDirectory, "   at " })
            {
                Assert.DoesNotContain(leak, text, StringComparison.OrdinalIgnoreCase);
            }
        }
        finally
        {
            File.Move(app.DatabaseFile + ".away", app.DatabaseFile);
        }

        using var recovered = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
    }

    // The job server's first heartbeat can land a moment after start; poll briefly for the expected answer.
    private static async Task<(HttpStatusCode Status, JsonDocument Body)> GetReadyAsync(HttpClient client, HttpStatusCode until)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            if (response.StatusCode == until || attempt == 40)
            {
                return (response.StatusCode, body);
            }

            body.Dispose();
            await Task.Delay(250);
        }
    }
}
