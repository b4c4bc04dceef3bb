using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Audit;
using Neruba.Infrastructure.Persistence;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Access.Accounts;

/// <summary>
/// A signed-in person changes their own password. Not a use case: it needs no project membership,
/// but it is audited the same way, in the person's current project.
/// </summary>
public sealed class ChangeOwnPassword(
    UserManager<NerubaUser> users,
    ProjectAccessService projectAccess,
    IDbContextFactory<NerubaDbContext> dbFactory,
    TimeProvider clock)
{
    /// <summary>Identity's errors in words on failure. On success every other session of the person ends (new security stamp).</summary>
    public async Task<IdentityResult> RunAsync(NerubaUser user, string currentPassword, string newPassword, CancellationToken cancellationToken = default)
    {
        var wasOneTime = await users.MustChangePasswordAsync(user);
        if (string.Equals(currentPassword, newPassword, StringComparison.Ordinal))
        {
            return IdentityResult.Failed(new IdentityError { Code = "SamePassword", Description = "Choose a new password that differs from the current one." });
        }

        // ChangePasswordAsync checks the current password and the password rules, then renews the security stamp.
        var changed = await users.ChangePasswordAsync(user, currentPassword, newPassword);
        if (!changed.Succeeded)
        {
            return changed;
        }

        await users.ClearPasswordChangeAsync(user);
        var access = await projectAccess.GetAsync(user.Id, cancellationToken: cancellationToken);
        var actor = Actor.Person(user.Id, user.Email ?? user.Id, access.Current?.ProjectId ?? Guid.Empty);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.AuditEntries.Add(UseCaseContext.CreateAuditEntry(actor, "account.password_changed", AuditOutcome.Succeeded, "account", user.Id,
            null, new { email = user.Email, replacedOneTimePassword = wasOneTime }, null, clock.GetUtcNow(), UseCaseRunner.CurrentCorrelationId()));
        await db.SaveChangesAsync(cancellationToken);
        return changed;
    }
}
