using System.Net;
using Neruba.Console.Tests.Support;
using Neruba.Domain.Access;
using Neruba.Infrastructure.Access.SystemAdmins;

namespace Neruba.Console.Tests.Http;

public class AuthorizationTests
{
    [Fact]
    public async Task A_signed_in_person_without_a_project_role_cannot_open_the_dashboard()
    {
        using var app = new ConsoleAppFactory();
        using var client = await app.SignedInMemberAsync("nobody@example.test", role: null);

        using var response = await client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/access-denied", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_viewer_reads_the_dashboard_but_not_the_jobs_pages()
    {
        using var app = new ConsoleAppFactory();
        using var client = await app.SignedInMemberAsync("viewer@example.test", ProjectRole.Viewer);

        using var home = await client.GetAsync(new Uri("/", UriKind.Relative));
        using var jobs = await client.GetAsync(new Uri("/operations/jobs", UriKind.Relative));
        using var dashboard = await client.GetAsync(new Uri("/jobs", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Contains("/account/access-denied", jobs.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Contains("/account/access-denied", dashboard.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ProjectRole.Operator)]
    [InlineData(ProjectRole.Admin)]
    public async Task Operators_and_admins_open_the_jobs_page_but_not_the_job_dashboard_unless_system_admins(ProjectRole role)
    {
        using var app = new ConsoleAppFactory();
        using var client = await app.SignedInMemberAsync("member@example.test", role);

        using var refused = await client.GetAsync(new Uri("/jobs", UriKind.Relative));
        using var jobsPage = await client.GetAsync(new Uri("/operations/jobs", UriKind.Relative));
        Assert.Contains("/account/access-denied", refused.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, jobsPage.StatusCode);
        Assert.DoesNotContain("open-job-dashboard", await jobsPage.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var added = await app.RunAsAdminAsync<AddSystemAdmin, AddSystemAdmin.Request, SystemAdminView>(new AddSystemAdmin.Request("member@example.test"));
        Assert.True(added.Succeeded, added.Message);

        // The same cookie: the role is read from the database on the next request.
        using var dashboard = await client.GetAsync(new Uri("/jobs", UriKind.Relative));
        Assert.True(dashboard.StatusCode == HttpStatusCode.OK, await dashboard.Content.ReadAsStringAsync());
        Assert.Contains("Neruba jobs", await dashboard.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Taking_the_system_admin_role_away_closes_the_job_dashboard_at_the_next_request()
    {
        using var app = new ConsoleAppFactory();
        var userId = await app.CreateMemberAsync("former@example.test", ProjectRole.Admin);
        Assert.True((await app.RunAsAdminAsync<AddSystemAdmin, AddSystemAdmin.Request, SystemAdminView>(new AddSystemAdmin.Request("former@example.test"))).Succeeded);
        using var client = app.CreateBrowserClient();
        await client.SignInAsync("former@example.test", ConsoleAppFactory.MemberPassword);
        using (var open = await client.GetAsync(new Uri("/jobs", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        }

        Assert.True((await app.RunAsAdminAsync<RemoveSystemAdmin, RemoveSystemAdmin.Request, SystemAdminView>(new RemoveSystemAdmin.Request(userId))).Succeeded);

        using var closed = await client.GetAsync(new Uri("/jobs/recurring", UriKind.Relative));
        Assert.Contains("/account/access-denied", closed.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ProjectRole.Support)]
    [InlineData(ProjectRole.Finance)]
    public async Task Support_and_finance_are_refused_the_job_dashboard(ProjectRole role)
    {
        using var app = new ConsoleAppFactory();
        using var client = await app.SignedInMemberAsync("member@example.test", role);

        using var dashboard = await client.GetAsync(new Uri("/jobs", UriKind.Relative));

        Assert.NotEqual(HttpStatusCode.OK, dashboard.StatusCode);
    }

    [Fact]
    public async Task An_anonymous_visitor_never_sees_the_job_dashboard()
    {
        using var app = new ConsoleAppFactory();
        using var client = app.CreateBrowserClient();

        using var dashboard = await client.GetAsync(new Uri("/jobs", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, dashboard.StatusCode);
        Assert.Contains("/account/sign-in", dashboard.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_address_shows_the_not_found_page()
    {
        using var app = new ConsoleAppFactory();
        using var client = app.CreateBrowserClient();

        using var response = await client.GetAsync(new Uri("/no/such/page", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Page not found", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
