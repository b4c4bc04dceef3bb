using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Infrastructure.Access.SystemAdmins;

/// <summary>
/// The system-wide administrator: an ASP.NET Identity role, outside every project. Only it opens the job
/// dashboard and other cross-project operations. Read from the database on every check, never from the
/// cookie, so taking the role away counts from the next request.
/// </summary>
public sealed class SystemAdminRole(IDbContextFactory<NerubaDbContext> dbFactory)
{
    public const string RoleName = "SystemAdmin";
    public const string NormalizedRoleName = "SYSTEMADMIN";

    public async Task<bool> IsSystemAdminAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await Holders(db).AnyAsync(u => u.Id == userId, cancellationToken);
    }

    /// <summary>The users that hold the role.</summary>
    public static IQueryable<NerubaUser> Holders(NerubaDbContext db) =>
        from user in db.Users
        join userRole in db.UserRoles on user.Id equals userRole.UserId
        join role in db.Roles on userRole.RoleId equals role.Id
        where role.NormalizedName == NormalizedRoleName
        select user;

    /// <summary>The role's row, added to <paramref name="db"/> (saved with the caller's change) when it does not exist yet.</summary>
    public static async Task<IdentityRole> RoleAsync(NerubaDbContext db, CancellationToken cancellationToken)
    {
        var role = await db.Roles.FirstOrDefaultAsync(r => r.NormalizedName == NormalizedRoleName, cancellationToken);
        if (role is null)
        {
            role = new IdentityRole(RoleName) { NormalizedName = NormalizedRoleName };
            db.Roles.Add(role);
        }

        return role;
    }
}
