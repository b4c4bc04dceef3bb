using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Access.Members;

/// <summary>The people in the current project and their roles.</summary>
public sealed class ListMembers : UseCase<ListMembers.Request, IReadOnlyList<MemberView>>
{
    public sealed record Request;

    public override AccessRule Access { get; } = new(Permission.ViewConsole);

    public override async Task<UseCaseResult<IReadOnlyList<MemberView>>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var members = await (
                from membership in context.Db.ProjectMemberships.AsNoTracking()
                join user in context.Db.Users on membership.UserId equals user.Id
                where membership.ProjectId == context.ProjectId
                orderby user.Email
                select new MemberView(membership.Id, user.Id, user.Email ?? user.UserName ?? user.Id, membership.Role, membership.CreatedAt))
            .ToListAsync(cancellationToken);
        return UseCaseResult<IReadOnlyList<MemberView>>.Ok(members);
    }
}
