using System.Security.Claims;
using Neruba.Infrastructure.Access;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Console.Access;

/// <summary>The signed-in person behind a plain HTTP request (downloads), in their current project.</summary>
public static class HttpActor
{
    public static async Task<Actor?> ResolveAsync(HttpContext http, ProjectAccessService projectAccess)
    {
        var userId = http.User.FindFirstValue(ClaimTypes.NameIdentifier);
        if (userId is null)
        {
            return null;
        }

        var access = await projectAccess.GetAsync(userId, http.RequestAborted);
        return access.Current is { } current ? Actor.Person(userId, http.User.Identity?.Name ?? userId, current.ProjectId) : null;
    }
}
