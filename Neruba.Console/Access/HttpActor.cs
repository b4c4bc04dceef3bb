using System.Security.Claims;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Console.Access;

/// <summary>
/// The signed-in person behind a plain HTTP request (downloads), in the project named by the <c>project</c> query
/// parameter (the page the link came from), else their current project.
/// </summary>
public static class HttpActor
{
    public const string ProjectParameter = "project";

    public static async Task<Actor?> ResolveAsync(HttpContext http, ProjectInView projectInView)
    {
        var userId = http.User.FindFirstValue(ClaimTypes.NameIdentifier);
        if (userId is null)
        {
            return null;
        }

        if (Guid.TryParse(http.Request.Query[ProjectParameter], out var named))
        {
            projectInView.Show(named);
        }

        var access = await projectInView.GetAccessAsync(userId, http.RequestAborted);
        return access.Current is { } current && !access.MustChangePassword && (named == Guid.Empty || current.ProjectId == named)
            ? Actor.Person(userId, http.User.Identity?.Name ?? userId, current.ProjectId)
            : null;
    }

    /// <summary>A download link for the project on screen.</summary>
    public static string WithProject(string url, Guid projectId) =>
        url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + ProjectParameter + "=" + projectId.ToString("D");
}
