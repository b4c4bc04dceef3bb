using Neruba.Infrastructure.Access;

namespace Neruba.Console.Access;

/// <summary>
/// The project this browser tab shows. A Blazor circuit is one tab, and this service lives as long as it: the
/// project is fixed when the tab opens (the person's last choice) and changes only when this tab switches. So a
/// switch in another tab never redirects this tab's actions: every check and use case here acts in the project on
/// screen, and the role in it is still read from the database on each check.
/// </summary>
public sealed class ProjectInView(ProjectAccessService projectAccess)
{
    private Guid? _projectId;

    /// <summary>The person's memberships with this tab's project as the current one (pinned on first use).</summary>
    public async Task<ProjectAccess> GetAccessAsync(string userId, CancellationToken cancellationToken = default)
    {
        var access = await projectAccess.GetAsync(userId, _projectId, cancellationToken);
        _projectId ??= access.Current?.ProjectId;
        return access;
    }

    /// <summary>This tab now shows <paramref name="projectId"/> (also the person's default for new tabs); false when they are not a member.</summary>
    public async Task<bool> SwitchAsync(string userId, Guid projectId, CancellationToken cancellationToken = default)
    {
        if (!await projectAccess.SwitchProjectAsync(userId, projectId, cancellationToken))
        {
            return false;
        }

        _projectId = projectId;
        return true;
    }

    /// <summary>For plain HTTP requests (downloads) that name the project of the page they came from.</summary>
    public void Show(Guid projectId) => _projectId = projectId;
}
