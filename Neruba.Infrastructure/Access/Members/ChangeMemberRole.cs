using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Access.Members;

/// <summary>An admin changes a member's role. The last Admin of a project cannot be demoted.</summary>
public sealed class ChangeMemberRole : UseCase<ChangeMemberRole.Request, MemberView>
{
    public sealed record Request(Guid MembershipId, ProjectRole? Role);

    public override AccessRule Access { get; } = new(Permission.ManageProject);

    public override ValidationErrors Validate(Request request) =>
        request.Role is { } role && Enum.IsDefined(role) ? ValidationErrors.None : new ValidationErrors().Add("role", "Choose a role: Viewer, Support, Finance, Operator or Admin.");

    public override async Task<UseCaseResult<MemberView>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var found = await MemberLookup.FindAsync(context, request.MembershipId, cancellationToken);
        if (found is not var (membership, email))
        {
            return UseCaseResult<MemberView>.NotFound("That member is not in this project (any more).");
        }

        var before = membership.Role;
        if (before == ProjectRole.Admin && request.Role != ProjectRole.Admin && await MemberLookup.IsLastAdminAsync(context, cancellationToken))
        {
            return UseCaseResult<MemberView>.Conflict($"{email} is the last Admin of this project; make someone else Admin first.");
        }

        membership.ChangeRole(request.Role!.Value);
        context.Audit("member.role_changed", "member", membership.UserId, new { email, role = before.ToString() }, new { email, role = membership.Role.ToString() });
        return UseCaseResult<MemberView>.Ok(new MemberView(membership.Id, membership.UserId, email, membership.Role, membership.CreatedAt));
    }
}

/// <summary>An admin removes a member from the project. The last Admin cannot be removed.</summary>
public sealed class RemoveMember : UseCase<RemoveMember.Request, MemberView>
{
    public sealed record Request(Guid MembershipId);

    public override AccessRule Access { get; } = new(Permission.ManageProject);

    public override async Task<UseCaseResult<MemberView>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var found = await MemberLookup.FindAsync(context, request.MembershipId, cancellationToken);
        if (found is not var (membership, email))
        {
            return UseCaseResult<MemberView>.NotFound("That member is not in this project (any more).");
        }

        if (membership.Role == ProjectRole.Admin && await MemberLookup.IsLastAdminAsync(context, cancellationToken))
        {
            return UseCaseResult<MemberView>.Conflict($"{email} is the last Admin of this project and cannot be removed.");
        }

        context.Db.ProjectMemberships.Remove(membership);
        context.Audit("member.removed", "member", membership.UserId, new { email, role = membership.Role.ToString() }, null);
        return UseCaseResult<MemberView>.Ok(new MemberView(membership.Id, membership.UserId, email, membership.Role, membership.CreatedAt));
    }
}

internal static class MemberLookup
{
    public static async Task<(ProjectMembership Membership, string Email)?> FindAsync(UseCaseContext context, Guid membershipId, CancellationToken cancellationToken)
    {
        var found = await (
                from membership in context.Db.ProjectMemberships
                join user in context.Db.Users on membership.UserId equals user.Id
                where membership.Id == membershipId && membership.ProjectId == context.ProjectId
                select new { membership, user.Email })
            .FirstOrDefaultAsync(cancellationToken);
        return found is null ? null : (found.membership, found.Email ?? found.membership.UserId);
    }

    /// <summary>
    /// Whether the project has only one Admin. Asked before an Admin is demoted or removed, so it also bumps the
    /// project's admin version: two such changes racing each other cannot both see "two Admins" and both save;
    /// the loser runs again and sees the last Admin.
    /// </summary>
    public static async Task<bool> IsLastAdminAsync(UseCaseContext context, CancellationToken cancellationToken)
    {
        var project = await context.Db.Projects.SingleAsync(p => p.Id == context.ProjectId, cancellationToken);
        project.NoteAdminChange();
        return await context.Db.ProjectMemberships.CountAsync(m => m.ProjectId == context.ProjectId && m.Role == ProjectRole.Admin, cancellationToken) <= 1;
    }
}
