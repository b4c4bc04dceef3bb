using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Infrastructure.Access;

/// <param name="TimeZone">The project's IANA zone: the console writes instants in it.</param>
public sealed record ProjectMembershipView(Guid ProjectId, string ProjectName, ProjectRole Role, string TimeZone = "UTC");

/// <summary>A person's memberships, the project they are currently acting in, and whether they are a system administrator.</summary>
/// <param name="MustChangePassword">Still on a one-time password: no permission holds until they choose their own, even in an open tab.</param>
public sealed record ProjectAccess(string UserId, ProjectMembershipView? Current, IReadOnlyList<ProjectMembershipView> Memberships, bool IsSystemAdmin = false,
    bool MustChangePassword = false)
{
    public bool Allows(Permission permission) => Current is not null && !MustChangePassword && RolePermissions.Allows(Current.Role, permission);
}

/// <summary>
/// Answers "which project is this person in, and with which role" from the database on every check,
/// so a changed or removed membership takes effect at once rather than when a cookie expires.
/// </summary>
public sealed class ProjectAccessService(IDbContextFactory<NerubaDbContext> dbFactory)
{
    /// <param name="inView">The project the page (browser tab) shows; it stays current as long as the person is a member of it.</param>
    public async Task<ProjectAccess> GetAsync(string userId, Guid? inView = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var memberships = await (
                from membership in db.ProjectMemberships
                join project in db.Projects on membership.ProjectId equals project.Id
                where membership.UserId == userId
                orderby project.Name
                select new ProjectMembershipView(project.Id, project.Name, membership.Role, project.TimeZone))
            .ToListAsync(cancellationToken);

        // A tab that shows a project the person was removed from acts nowhere: never silently in another of their projects.
        var currentProjectId = inView ?? await db.Users.Where(u => u.Id == userId).Select(u => u.CurrentProjectId).FirstOrDefaultAsync(cancellationToken);
        var current = memberships.FirstOrDefault(m => m.ProjectId == currentProjectId) ?? (inView is null ? memberships.FirstOrDefault() : null);
        var isSystemAdmin = await SystemAdmins.SystemAdminRole.Holders(db).AnyAsync(u => u.Id == userId, cancellationToken);
        var mustChangePassword = await db.UserClaims.AnyAsync(c => c.UserId == userId && c.ClaimType == Accounts.OneTimePasswords.MustChangeClaimType,
            cancellationToken);
        return new ProjectAccess(userId, current, memberships, isSystemAdmin, mustChangePassword);
    }

    /// <summary>Makes <paramref name="projectId"/> the person's current project; refused when they are not a member.</summary>
    public async Task<bool> SwitchProjectAsync(string userId, Guid projectId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var isMember = await db.ProjectMemberships.AnyAsync(m => m.UserId == userId && m.ProjectId == projectId, cancellationToken);
        if (!isMember)
        {
            return false;
        }

        var user = await db.Users.SingleAsync(u => u.Id == userId, cancellationToken);
        user.CurrentProjectId = projectId;
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }
}
