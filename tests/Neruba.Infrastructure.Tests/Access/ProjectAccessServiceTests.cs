using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Neruba.Domain.Access;
using Neruba.Infrastructure.Access;
using Neruba.Infrastructure.Persistence;
using Neruba.Infrastructure.Tests.Support;

namespace Neruba.Infrastructure.Tests.Access;

public class ProjectAccessServiceTests
{
    [Fact]
    public async Task A_person_switches_only_to_projects_they_belong_to_and_the_choice_sticks()
    {
        using var folder = new TempDataFolder();
        await using var host = InfrastructureHost.Embedded(folder, "Correct-Horse-42!");
        await host.InitializeAsync();

        await using var scope = host.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<NerubaDbContext>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<NerubaUser>>();
        var access = scope.ServiceProvider.GetRequiredService<ProjectAccessService>();
        var admin = (await users.FindByEmailAsync("admin@example.test"))!;

        var second = new Project(Guid.NewGuid(), "Another project", "another", "EUR", "Europe/Berlin", DateTimeOffset.UnixEpoch);
        var foreign = new Project(Guid.NewGuid(), "Foreign project", "foreign", "USD", "UTC", DateTimeOffset.UnixEpoch);
        db.Projects.AddRange(second, foreign);
        db.ProjectMemberships.Add(new ProjectMembership(Guid.NewGuid(), second.Id, admin.Id, ProjectRole.Viewer, DateTimeOffset.UnixEpoch));
        await db.SaveChangesAsync();

        Assert.False(await access.SwitchProjectAsync(admin.Id, foreign.Id));
        Assert.True(await access.SwitchProjectAsync(admin.Id, second.Id));

        var now = await access.GetAsync(admin.Id);
        Assert.Equal(second.Id, now.Current?.ProjectId);
        Assert.Equal(ProjectRole.Viewer, now.Current?.Role);
        Assert.Equal(2, now.Memberships.Count);
        Assert.False(now.Allows(Permission.ManageProject));
    }

    [Fact]
    public async Task A_person_without_memberships_has_no_current_project_and_no_permission()
    {
        using var folder = new TempDataFolder();
        await using var host = InfrastructureHost.Embedded(folder, "Correct-Horse-42!");
        await host.InitializeAsync();
        await using var scope = host.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<NerubaUser>>();
        var stranger = new NerubaUser { UserName = "stranger@example.test", Email = "stranger@example.test" };
        Assert.True((await users.CreateAsync(stranger, "Another-Password-7")).Succeeded);

        var access = await scope.ServiceProvider.GetRequiredService<ProjectAccessService>().GetAsync(stranger.Id);

        Assert.Null(access.Current);
        Assert.All(Enum.GetValues<Permission>(), p => Assert.False(access.Allows(p)));
    }

    [Fact]
    public async Task A_tab_on_a_project_the_person_was_removed_from_acts_nowhere_not_in_another_of_their_projects()
    {
        using var folder = new TempDataFolder();
        await using var host = InfrastructureHost.Embedded(folder, "Correct-Horse-42!");
        await host.InitializeAsync();
        await using var scope = host.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<NerubaDbContext>();
        var admin = (await scope.ServiceProvider.GetRequiredService<UserManager<NerubaUser>>().FindByEmailAsync("admin@example.test"))!;
        var removedFrom = new Project(Guid.NewGuid(), "Left behind", "left", "USD", "UTC", DateTimeOffset.UnixEpoch);
        db.Projects.Add(removedFrom);
        await db.SaveChangesAsync();

        var access = await scope.ServiceProvider.GetRequiredService<ProjectAccessService>().GetAsync(admin.Id, inView: removedFrom.Id);

        Assert.Null(access.Current);
        Assert.All(Enum.GetValues<Permission>(), p => Assert.False(access.Allows(p)));
    }

    [Fact]
    public async Task A_person_still_on_a_one_time_password_holds_no_permission_even_in_an_open_tab()
    {
        using var folder = new TempDataFolder();
        await using var host = InfrastructureHost.Embedded(folder, "Correct-Horse-42!");
        await host.InitializeAsync();
        await using var scope = host.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<NerubaUser>>();
        var admin = (await users.FindByEmailAsync("admin@example.test"))!;
        await Neruba.Infrastructure.Access.Accounts.OneTimePasswords.RequirePasswordChangeAsync(users, admin);

        var access = await scope.ServiceProvider.GetRequiredService<ProjectAccessService>().GetAsync(admin.Id);

        Assert.True(access.MustChangePassword);
        Assert.NotNull(access.Current);
        Assert.All(Enum.GetValues<Permission>(), p => Assert.False(access.Allows(p)));
    }
}
