using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Neruba.Infrastructure.Audit;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Console.Access;

/// <summary>
/// Grants a permission when the person's role in the project on screen holds it, read fresh from the
/// database. A refused page (by the HTTP pipeline or by in-app navigation) is written to the audit log.
/// </summary>
public sealed class PermissionHandler(ProjectInView projectInView, AccessDenials denials) : AuthorizationHandler<PermissionRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, PermissionRequirement requirement)
    {
        var userId = context.User.FindFirstValue(ClaimTypes.NameIdentifier);
        if (userId is null)
        {
            return;
        }

        var access = await projectInView.GetAccessAsync(userId);
        if (access.Allows(requirement.Permission))
        {
            context.Succeed(requirement);
            return;
        }

        var target = RefusedTarget.Of(context.Resource);
        if (target is not null)
        {
            var actor = Actor.Person(userId, context.User.Identity?.Name ?? userId, access.Current?.ProjectId ?? Guid.Empty);
            var reason = access.Current is { } current
                ? $"The {current.Role} role does not hold {requirement.Permission}."
                : "Not a member of any project.";
            await denials.RecordAsync(actor, "page", target, reason);
        }
    }
}
