using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Neruba.Infrastructure.Access.SystemAdmins;
using Neruba.Infrastructure.Audit;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Console.Access;

/// <summary>
/// The system administrator policy (job dashboard, system administrators page): no project role is
/// enough. The role is read from the database on every check, not from the cookie; refusals are audited.
/// </summary>
public static class SystemAdminPolicy
{
    public const string Name = SystemAdminRole.RoleName;

    public static void Register(AuthorizationOptions options) =>
        options.AddPolicy(Name, policy => policy.RequireAuthenticatedUser().AddRequirements(new SystemAdminRequirement()));
}

public sealed record SystemAdminRequirement : IAuthorizationRequirement;

public sealed class SystemAdminHandler(SystemAdminRole systemAdmins, AccessDenials denials) : AuthorizationHandler<SystemAdminRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, SystemAdminRequirement requirement)
    {
        var userId = context.User.FindFirstValue(ClaimTypes.NameIdentifier);
        if (userId is null)
        {
            return;
        }

        if (await systemAdmins.IsSystemAdminAsync(userId))
        {
            context.Succeed(requirement);
            return;
        }

        var target = RefusedTarget.Of(context.Resource);
        if (target is not null)
        {
            await denials.RecordAsync(Actor.Person(userId, context.User.Identity?.Name ?? userId, Guid.Empty), "page", target,
                "Only a system administrator may open this.");
        }
    }
}

/// <summary>What a refused authorization was about, for its audit record: a request path or a page.</summary>
public static class RefusedTarget
{
    public static string? Of(object? resource) => resource switch
    {
        HttpContext http => http.Request.Path.Value,
        Microsoft.AspNetCore.Components.RouteData route => route.PageType.Name,
        _ => null,
    };
}
