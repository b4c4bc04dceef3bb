using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Neruba.Infrastructure.Access;

namespace Neruba.Console.Access;

/// <summary>Grants a permission when the person's role in their current project holds it, read fresh from the database.</summary>
public sealed class PermissionHandler(ProjectAccessService projectAccess) : AuthorizationHandler<PermissionRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, PermissionRequirement requirement)
    {
        var userId = context.User.FindFirstValue(ClaimTypes.NameIdentifier);
        if (userId is null)
        {
            return;
        }

        var access = await projectAccess.GetAsync(userId);
        if (access.Allows(requirement.Permission))
        {
            context.Succeed(requirement);
        }
    }
}
