using System.Net;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Neruba.Console.Access;
using Neruba.Console.Tests.Support;
using Neruba.Domain.Access;
using Neruba.Infrastructure.Access;
using Neruba.Infrastructure.Access.Members;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Console.Tests.Http;

public class PasswordChangeTests
{
    private const string Chosen = "My-Own-Password-77!";

    [Fact]
    public async Task A_member_added_with_a_one_time_password_must_choose_their_own_before_any_console_page()
    {
        using var app = new ConsoleAppFactory();
        var added = await app.RunAsAdminAsync<AddMember, AddMember.Request, AddMember.Result>(new("new.person@example.test", ProjectRole.Support));
        var oneTime = added.Value!.OneTimePassword!;
        using var client = app.CreateBrowserClient();

        using var signIn = await client.PostSignInAsync("new.person@example.test", oneTime, "/customers");
        Assert.Equal("/account/change-password?returnUrl=%2Fcustomers", signIn.Headers.Location?.OriginalString);
        foreach (var page in new[] { "/", "/customers", "/settings", "/audit/export.csv" })
        {
            Assert.StartsWith("/account/change-password?returnUrl=", await client.RedirectOfAsync(page), StringComparison.Ordinal);
        }

        Assert.Null(await client.RedirectOfAsync("/health/live"));
        Assert.Null(await client.RedirectOfAsync("/favicon.svg"));
        using var api = await client.GetAsync(new Uri("/api/v1/customers", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);

        using var changed = await client.PostChangePasswordAsync(oneTime, Chosen);
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Assert.Null(await client.RedirectOfAsync("/"));

        using var again = app.CreateBrowserClient();
        using var old = await again.PostSignInAsync("new.person@example.test", oneTime);
        Assert.Contains("error=invalid", old.Headers.Location!.OriginalString, StringComparison.Ordinal);
        await again.SignInAsync("new.person@example.test", Chosen);
    }

    [Fact]
    public async Task Changing_the_password_explains_mistakes_then_is_audited_without_the_password_and_ends_other_sessions()
    {
        using var app = new ConsoleAppFactory();
        var (here, elsewhere) = await TwoAdminSessionsAsync(app);
        using var _ = here;
        using var __ = elsewhere;

        await AssertRefusedAsync(here, "Not-The-Password-1!", Chosen, Chosen, "The current password is not right.");
        await AssertRefusedAsync(here, ConsoleAppFactory.AdminPassword, Chosen, Chosen + "x", "The two new passwords are not the same.");
        await AssertRefusedAsync(here, ConsoleAppFactory.AdminPassword, "short", "short", "at least 12 characters");

        using var changed = await here.PostChangePasswordAsync(ConsoleAppFactory.AdminPassword, Chosen);

        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Assert.Null(await here.RedirectOfAsync("/"));
        Assert.Contains("/account/sign-in", await elsewhere.RedirectOfAsync("/"), StringComparison.Ordinal);
        var audit = await AuditOfAsync(app, "account.password_changed");
        Assert.Contains(ConsoleAppFactory.AdminEmail, audit, StringComparison.Ordinal);
        Assert.DoesNotContain(Chosen, audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signing_out_ends_the_persons_sessions_in_other_browsers_too()
    {
        using var app = new ConsoleAppFactory();
        var (here, elsewhere) = await TwoAdminSessionsAsync(app);
        using var _ = here;
        using var __ = elsewhere;
        using var signOut = await here.PostSignOutAsync();

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Contains("/account/sign-in", await elsewhere.RedirectOfAsync("/"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_admins_new_one_time_password_ends_the_members_sessions_and_must_be_replaced()
    {
        using var app = new ConsoleAppFactory();
        using var member = await app.SignedInMemberAsync("forgetful@example.test", ProjectRole.Finance);
        Assert.Null(await member.RedirectOfAsync("/"));
        var membershipId = await MembershipOfAsync(app, "forgetful@example.test");

        var reset = await app.RunAsAdminAsync<ResetMemberPassword, ResetMemberPassword.Request, ResetMemberPassword.Result>(new(membershipId));

        Assert.True(reset.Succeeded, reset.Message);
        Assert.Contains("/account/sign-in", await member.RedirectOfAsync("/"), StringComparison.Ordinal);
        using var next = app.CreateBrowserClient();
        using var old = await next.PostSignInAsync("forgetful@example.test", ConsoleAppFactory.MemberPassword);
        Assert.Contains("error=invalid", old.Headers.Location!.OriginalString, StringComparison.Ordinal);
        using var signIn = await next.PostSignInAsync("forgetful@example.test", reset.Value!.OneTimePassword);
        Assert.StartsWith("/account/change-password", signIn.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var audit = await AuditOfAsync(app, "member.password_reset");
        Assert.DoesNotContain(reset.Value.OneTimePassword, audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_admin_cannot_take_over_someone_who_also_belongs_to_a_project_they_do_not_administer()
    {
        using var app = new ConsoleAppFactory();
        var userId = await app.CreateMemberAsync("elsewhere@example.test", ProjectRole.Viewer);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NerubaDbContext>();
            var other = new Project(Guid.NewGuid(), "Other", "other", "USD", "UTC", DateTimeOffset.UnixEpoch);
            db.Projects.Add(other);
            db.ProjectMemberships.Add(new ProjectMembership(Guid.NewGuid(), other.Id, userId, ProjectRole.Admin, DateTimeOffset.UnixEpoch));
            await db.SaveChangesAsync();
        }

        var reset = await app.RunAsAdminAsync<ResetMemberPassword, ResetMemberPassword.Request, ResetMemberPassword.Result>(
            new(await MembershipOfAsync(app, "elsewhere@example.test")));

        Assert.False(reset.Succeeded);
        Assert.Contains("projects you are not an Admin of", reset.Message, StringComparison.Ordinal);
        using var client = app.CreateBrowserClient();
        await client.SignInAsync("elsewhere@example.test", ConsoleAppFactory.MemberPassword);
    }

    [Fact]
    public async Task An_open_console_circuit_revalidates_the_security_stamp()
    {
        using var app = new ConsoleAppFactory();
        await using var scope = app.Services.CreateAsyncScope();
        var provider = Assert.IsType<RevalidatingAuthenticationState>(scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>());
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<NerubaUser>>();
        var admin = (await signIn.UserManager.FindByEmailAsync(ConsoleAppFactory.AdminEmail))!;
        var principal = await signIn.CreateUserPrincipalAsync(admin);
        Assert.True(await provider.IsStillValidAsync(principal));

        await signIn.UserManager.UpdateSecurityStampAsync(admin);

        Assert.False(await provider.IsStillValidAsync(principal));
    }

    /// <summary>The admin signed in in two browsers, both in the console.</summary>
    private static async Task<(HttpClient Here, HttpClient Elsewhere)> TwoAdminSessionsAsync(ConsoleAppFactory app)
    {
        var sessions = (app.CreateBrowserClient(), app.CreateBrowserClient());
        foreach (var client in new[] { sessions.Item1, sessions.Item2 })
        {
            await client.SignInAsync(ConsoleAppFactory.AdminEmail, ConsoleAppFactory.AdminPassword);
            Assert.Null(await client.RedirectOfAsync("/"));
        }

        return sessions;
    }

    private static async Task AssertRefusedAsync(HttpClient client, string current, string next, string confirm, string words)
    {
        using var response = await client.PostChangePasswordAsync(current, next, confirm);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(words, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    private static async Task<Guid> MembershipOfAsync(ConsoleAppFactory app, string email)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NerubaDbContext>();
        var user = await db.Users.SingleAsync(u => u.Email == email);
        var demo = await app.DemoProjectIdAsync();
        return (await db.ProjectMemberships.SingleAsync(m => m.UserId == user.Id && m.ProjectId == demo)).Id;
    }

    private static async Task<string> AuditOfAsync(ConsoleAppFactory app, string action)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var entry = await scope.ServiceProvider.GetRequiredService<NerubaDbContext>().AuditEntries.SingleAsync(e => e.Action == action);
        return string.Join(" ", entry.ActorName, entry.TargetId, entry.Before, entry.After, entry.ProjectId);
    }
}
