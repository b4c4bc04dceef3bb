using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Neruba.Domain.Access;
using Neruba.Infrastructure.Access.Accounts;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Access.Members;

/// <summary>
/// An admin gives a member a new one-time password (e.g. they forgot theirs). The member must choose
/// their own at the next sign-in, and every session they have open ends now.
/// </summary>
public sealed class ResetMemberPassword(IServiceScopeFactory scopes) : UseCase<ResetMemberPassword.Request, ResetMemberPassword.Result>
{
    public sealed record Request(Guid MembershipId);

    public sealed record Result(string Email, string OneTimePassword);

    public override AccessRule Access { get; } = new(Permission.ManageProject);

    public override async Task<UseCaseResult<Result>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var found = await MemberLookup.FindAsync(context, request.MembershipId, cancellationToken);
        if (found is not var (membership, email))
        {
            return UseCaseResult<Result>.NotFound("That member is not in this project (any more).");
        }

        if (membership.UserId == context.Actor.Id)
        {
            return UseCaseResult<Result>.Conflict("To change your own password use Change password in your user menu.");
        }

        // Taking over an account must not reach beyond the projects this admin runs: an Admin of a small
        // project could otherwise sign in as someone who administers a bigger one.
        var elsewhere = await context.Db.ProjectMemberships.AsNoTracking()
            .Where(m => m.UserId == membership.UserId && m.ProjectId != context.ProjectId)
            .Select(m => m.ProjectId).ToListAsync(cancellationToken);
        var administered = await context.Db.ProjectMemberships.AsNoTracking()
            .CountAsync(m => m.UserId == context.Actor.Id && m.Role == ProjectRole.Admin && elsewhere.Contains(m.ProjectId), cancellationToken);
        if (administered < elsewhere.Count)
        {
            return UseCaseResult<Result>.Forbidden($"{email} is also a member of projects you are not an Admin of; an Admin of every one of their projects can reset their password.");
        }

        // A fresh scope: the page's long-lived scope may hold a stale copy of the user.
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<NerubaUser>>();
        var user = await users.FindByIdAsync(membership.UserId);
        if (user is null)
        {
            return UseCaseResult<Result>.NotFound("That member's account no longer exists.");
        }

        var password = OneTimePasswords.Generate();
        var token = await users.GeneratePasswordResetTokenAsync(user);
        var reset = await users.ResetPasswordAsync(user, token, password);
        if (!reset.Succeeded)
        {
            return UseCaseResult<Result>.Conflict("The password could not be reset: " + string.Join(" ", reset.Errors.Select(e => e.Description)));
        }

        // The reset renewed the security stamp, which ends their sessions; a lockout would keep them out for nothing.
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        await users.RequirePasswordChangeAsync(user);
        context.Audit("member.password_reset", "member", user.Id, null, new { email, mustChangePassword = true });
        return UseCaseResult<Result>.Ok(new Result(email, password));
    }
}
