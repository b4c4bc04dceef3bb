using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Neruba.Domain.Access;
using Neruba.Infrastructure.Access;
using Neruba.Infrastructure.Access.Accounts;
using Neruba.Infrastructure.Access.Members;
using Neruba.Infrastructure.Tests.Support;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Tests.UseCases;

public class MemberUseCaseTests
{
    [Fact]
    public async Task Adding_a_new_email_creates_an_account_with_a_one_time_password_that_is_audited_without_it()
    {
        await using var harness = await UseCaseHarness.StartAsync();

        var result = await harness.RunAsync<AddMember, AddMember.Request, AddMember.Result>(harness.Admin, new("new.person@example.test", ProjectRole.Support));

        Assert.True(result.Succeeded, result.Message);
        var password = result.Value!.OneTimePassword;
        Assert.False(string.IsNullOrEmpty(password));
        var audit = await harness.QueryAsync(db => db.AuditEntries.SingleAsync(a => a.Action == "member.added"));
        Assert.DoesNotContain(password!, audit.After, StringComparison.Ordinal);
        Assert.Contains("Support", audit.After, StringComparison.Ordinal);
        await using var scope = harness.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<NerubaUser>>();
        Assert.True(await users.MustChangePasswordAsync((await users.FindByEmailAsync("new.person@example.test"))!));
    }

    [Fact]
    public async Task Adding_the_same_new_email_twice_keeps_one_account_and_says_so_in_words()
    {
        await using var harness = await UseCaseHarness.StartAsync();
        var first = await harness.RunAsync<AddMember, AddMember.Request, AddMember.Result>(harness.Admin, new("twice@example.test", ProjectRole.Viewer));

        var second = await harness.RunAsync<AddMember, AddMember.Request, AddMember.Result>(harness.Admin, new(" TWICE@example.test ", ProjectRole.Viewer));

        Assert.True(first.Succeeded, first.Message);
        Assert.Equal(UseCaseStatus.Conflict, second.Status);
        Assert.Equal("TWICE@example.test already has an account and is already a member of this project: nothing was added.", second.Message);
        Assert.Equal(1, await harness.QueryAsync(db => db.Users.CountAsync(u => u.NormalizedEmail == "TWICE@EXAMPLE.TEST")));
    }

    [Fact]
    public async Task Adding_an_existing_member_again_is_a_conflict()
    {
        await using var harness = await UseCaseHarness.StartAsync();
        await harness.AddPersonAsync("someone@example.test", ProjectRole.Viewer);

        var again = await harness.RunAsync<AddMember, AddMember.Request, AddMember.Result>(harness.Admin, new("someone@example.test", ProjectRole.Finance));

        Assert.Equal(UseCaseStatus.Conflict, again.Status);
    }

    [Fact]
    public async Task Two_admins_demoting_and_removing_each_other_at_once_never_leave_the_project_without_an_admin()
    {
        await using var harness = await UseCaseHarness.StartAsync();
        for (var round = 0; round < 5; round++)
        {
            // Each round starts with exactly two Admins: the bootstrap admin and a new one.
            await harness.QueryAsync(async db =>
            {
                foreach (var extra in await db.ProjectMemberships.Where(m => m.Role == ProjectRole.Admin && m.UserId != harness.Admin.Id).ToListAsync())
                {
                    extra.ChangeRole(ProjectRole.Viewer);
                }

                return await db.SaveChangesAsync();
            });
            var other = await harness.AddPersonAsync($"admin{round}@example.test", ProjectRole.Admin);
            var admins = await harness.QueryAsync(db => db.ProjectMemberships.Where(m => m.ProjectId == harness.ProjectId && m.Role == ProjectRole.Admin).ToListAsync());
            var first = admins.Single(m => m.UserId == harness.Admin.Id);
            var second = admins.Single(m => m.UserId == other.Id);

            // Each takes the other's Admin role away in the same instant: one demotes, the other removes.
            var results = await Task.WhenAll(
                Task.Run(() => harness.RunAsync<ChangeMemberRole, ChangeMemberRole.Request, MemberView>(harness.Admin, new(second.Id, ProjectRole.Viewer))),
                Task.Run(async () => (await harness.RunAsync<RemoveMember, RemoveMember.Request, MemberView>(other, new(first.Id))).As<MemberView>()));

            Assert.True(await harness.QueryAsync(db => db.ProjectMemberships.AnyAsync(m => m.ProjectId == harness.ProjectId && m.Role == ProjectRole.Admin)));
            if (!results.All(r => r.Succeeded))
            {
                Assert.Contains(results, r => r.Status is UseCaseStatus.Conflict or UseCaseStatus.Forbidden);
            }

            // Put the bootstrap admin back for the next round if the race removed them.
            if (!await harness.QueryAsync(db => db.ProjectMemberships.AnyAsync(m => m.UserId == harness.Admin.Id)))
            {
                await harness.QueryAsync(async db =>
                {
                    db.ProjectMemberships.Add(new ProjectMembership(Guid.NewGuid(), harness.ProjectId, harness.Admin.Id, ProjectRole.Admin, DateTimeOffset.UnixEpoch));
                    return await db.SaveChangesAsync();
                });
            }
        }
    }

    [Fact]
    public async Task The_last_admin_can_be_neither_demoted_nor_removed_but_another_admin_can()
    {
        await using var harness = await UseCaseHarness.StartAsync();
        var adminMembership = await harness.QueryAsync(db => db.ProjectMemberships.SingleAsync(m => m.UserId == harness.Admin.Id));

        var demote = await harness.RunAsync<ChangeMemberRole, ChangeMemberRole.Request, MemberView>(harness.Admin, new(adminMembership.Id, ProjectRole.Viewer));
        var remove = await harness.RunAsync<RemoveMember, RemoveMember.Request, MemberView>(harness.Admin, new(adminMembership.Id));

        Assert.Equal(UseCaseStatus.Conflict, demote.Status);
        Assert.Contains("last Admin", demote.Message, StringComparison.Ordinal);
        Assert.Equal(UseCaseStatus.Conflict, remove.Status);

        var second = await harness.AddPersonAsync("second.admin@example.test", ProjectRole.Admin);
        var secondMembership = await harness.QueryAsync(db => db.ProjectMemberships.SingleAsync(m => m.UserId == second.Id));
        var demoteSecond = await harness.RunAsync<ChangeMemberRole, ChangeMemberRole.Request, MemberView>(harness.Admin, new(secondMembership.Id, ProjectRole.Operator));
        Assert.True(demoteSecond.Succeeded);
        var audit = await harness.QueryAsync(db => db.AuditEntries.SingleAsync(a => a.Action == "member.role_changed"));
        Assert.Contains("Admin", audit.Before, StringComparison.Ordinal);
        Assert.Contains("Operator", audit.After, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_role_change_takes_effect_on_the_very_next_action()
    {
        await using var harness = await UseCaseHarness.StartAsync();
        var person = await harness.AddPersonAsync("changing@example.test", ProjectRole.Admin);
        var membership = await harness.QueryAsync(db => db.ProjectMemberships.SingleAsync(m => m.UserId == person.Id));
        Assert.True((await harness.RunAsync<ListMembers, ListMembers.Request, IReadOnlyList<MemberView>>(person, new())).Succeeded);

        await harness.RunAsync<ChangeMemberRole, ChangeMemberRole.Request, MemberView>(harness.Admin, new(membership.Id, ProjectRole.Viewer));
        var add = await harness.RunAsync<AddMember, AddMember.Request, AddMember.Result>(person, new("x@example.test", ProjectRole.Viewer));

        Assert.Equal(UseCaseStatus.Forbidden, add.Status);
    }
}
