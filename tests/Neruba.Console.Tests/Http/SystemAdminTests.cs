using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Neruba.Console.Tests.Support;
using Neruba.Domain.Access;
using Neruba.Infrastructure.Access.SystemAdmins;
using Neruba.Infrastructure.Operations;
using Neruba.Infrastructure.Persistence;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Console.Tests.Http;

public sealed class SystemAdminTests : IDisposable
{
    private readonly ConsoleAppFactory _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task The_bootstrap_admin_is_the_first_system_admin_and_opens_the_system_admins_page()
    {
        var list = await _app.RunAsAdminAsync<ListSystemAdmins, ListSystemAdmins.Request, SystemAdminOverview>(new ListSystemAdmins.Request());
        using var client = _app.CreateBrowserClient();
        await client.SignInAsync(ConsoleAppFactory.AdminEmail, ConsoleAppFactory.AdminPassword);
        using var page = await client.GetAsync(new Uri("/operations/system-admins", UriKind.Relative));

        Assert.True(list.Succeeded, list.Message);
        Assert.Equal([ConsoleAppFactory.AdminEmail], list.Value!.Admins.Select(a => a.Email));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("System administrators", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_system_admin_adds_and_removes_another_by_email_and_both_changes_are_audited()
    {
        var userId = await _app.CreateMemberAsync("ops@example.test", ProjectRole.Viewer);

        var added = await _app.RunAsAdminAsync<AddSystemAdmin, AddSystemAdmin.Request, SystemAdminView>(new AddSystemAdmin.Request("OPS@example.test"));
        var again = await _app.RunAsAdminAsync<AddSystemAdmin, AddSystemAdmin.Request, SystemAdminView>(new AddSystemAdmin.Request("ops@example.test"));
        var removed = await _app.RunAsAdminAsync<RemoveSystemAdmin, RemoveSystemAdmin.Request, SystemAdminView>(new RemoveSystemAdmin.Request(userId));

        Assert.True(added.Succeeded, added.Message);
        Assert.Equal(UseCaseStatus.Conflict, again.Status);
        Assert.True(removed.Succeeded, removed.Message);
        await using var scope = _app.Services.CreateAsyncScope();
        var audit = await scope.ServiceProvider.GetRequiredService<NerubaDbContext>().AuditEntries
            .Where(a => a.TargetId == userId).Select(a => new { a.Action, a.ProjectId, a.ActorName }).ToListAsync();
        Assert.Equal(["system_admin.added", "system_admin.removed"], audit.Select(a => a.Action).Order());
        Assert.All(audit, a => Assert.Null(a.ProjectId));
        Assert.All(audit, a => Assert.Equal(ConsoleAppFactory.AdminEmail, a.ActorName));
    }

    [Fact]
    public async Task The_last_system_admin_cannot_be_removed()
    {
        var overview = await _app.RunAsAdminAsync<ListSystemAdmins, ListSystemAdmins.Request, SystemAdminOverview>(new ListSystemAdmins.Request());

        var removed = await _app.RunAsAdminAsync<RemoveSystemAdmin, RemoveSystemAdmin.Request, SystemAdminView>(
            new RemoveSystemAdmin.Request(overview.Value!.Admins.Single().UserId));

        Assert.Equal(UseCaseStatus.Conflict, removed.Status);
        Assert.Contains("last system administrator", removed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_project_admin_who_is_not_a_system_admin_is_refused_at_the_moment_of_the_action_and_the_refusal_is_audited()
    {
        var projectId = await _app.DemoProjectIdAsync();
        var userId = await _app.CreateMemberAsync("admin2@example.test", ProjectRole.Admin);
        var actor = Actor.Person(userId, "admin2@example.test", projectId);
        await using var scope = _app.Services.CreateAsyncScope();
        var runner = scope.ServiceProvider.GetRequiredService<UseCaseRunner>();

        var result = await runner.RunAsync(scope.ServiceProvider.GetRequiredService<AddSystemAdmin>(), actor, new AddSystemAdmin.Request("admin2@example.test"));

        Assert.Equal(UseCaseStatus.Forbidden, result.Status);
        var db = scope.ServiceProvider.GetRequiredService<NerubaDbContext>();
        Assert.False(await SystemAdminRole.Holders(db).AnyAsync(u => u.Id == userId));
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "access.denied" && a.ActorId == userId && a.TargetId == nameof(AddSystemAdmin)));
    }

    [Fact]
    public async Task The_diagnostic_job_checks_the_role_when_it_is_started()
    {
        var projectId = await _app.DemoProjectIdAsync();
        var viewer = Actor.Person(await _app.CreateMemberAsync("viewer@example.test", ProjectRole.Viewer), "viewer@example.test", projectId);
        await using var scope = _app.Services.CreateAsyncScope();
        var runner = scope.ServiceProvider.GetRequiredService<UseCaseRunner>();

        var refused = await runner.RunAsync(scope.ServiceProvider.GetRequiredService<RunDiagnosticJob>(), viewer, new RunDiagnosticJob.Request());
        var started = await _app.RunAsAdminAsync<RunDiagnosticJob, RunDiagnosticJob.Request, string>(new RunDiagnosticJob.Request());

        Assert.Equal(UseCaseStatus.Forbidden, refused.Status);
        Assert.True(started.Succeeded, started.Message);
        Assert.NotNull(scope.ServiceProvider.GetRequiredService<JobMonitor>().Get(started.Value!));
    }

    [Fact]
    public async Task An_existing_database_where_no_one_holds_the_role_gives_it_to_the_bootstrap_admin_at_start()
    {
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NerubaDbContext>();
            await db.UserRoles.ExecuteDeleteAsync();
            await db.Roles.ExecuteDeleteAsync();
        }

        using var restarted = new ConsoleAppFactory(_app.DataDirectory);
        var list = await restarted.RunAsAdminAsync<ListSystemAdmins, ListSystemAdmins.Request, SystemAdminOverview>(new ListSystemAdmins.Request());

        Assert.True(list.Succeeded, list.Message);
        Assert.Equal([ConsoleAppFactory.AdminEmail], list.Value!.Admins.Select(a => a.Email));
    }
}
