using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Neruba.Infrastructure.Access;
using Neruba.Infrastructure.Access.Accounts;
using Neruba.Infrastructure.Access.SystemAdmins;
using Neruba.Infrastructure.Configuration;

namespace Neruba.Infrastructure.Startup;

/// <summary>
/// Creates the first admin when the database has no users, so a fresh install can be signed in to, and makes
/// sure someone is a system administrator.
/// </summary>
internal sealed partial class BootstrapAdmin(
    UserManager<NerubaUser> users,
    RoleManager<IdentityRole> roles,
    NerubaSettings settings,
    TimeProvider clock,
    ILogger<BootstrapAdmin> logger)
{
    /// <summary>Returns the admin created now, or null when users already existed.</summary>
    public async Task<NerubaUser?> EnsureAsync(CancellationToken cancellationToken)
    {
        if (await users.Users.AnyAsync(cancellationToken))
        {
            return null;
        }

        var email = settings.Bootstrap.AdminEmail.Trim();
        var configuredPassword = settings.Bootstrap.AdminPassword;
        var password = string.IsNullOrEmpty(configuredPassword) ? GeneratePassword() : configuredPassword;
        var admin = new NerubaUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            CreatedAt = clock.GetUtcNow(),
        };

        var result = await users.CreateAsync(admin, password);
        if (!result.Succeeded)
        {
            var reasons = string.Join(" ", result.Errors.Select(e => e.Description));
            throw new NerubaConfigurationException(
                $"The first admin could not be created from Neruba:Bootstrap:AdminEmail / Neruba:Bootstrap:AdminPassword: {reasons}");
        }

        if (string.IsNullOrEmpty(configuredPassword))
        {
            // A password printed to a log is known to whoever reads the log: it only opens the door once.
            // A configured one was chosen by the operator (and the E2E journeys sign in with it), so it stays.
            await users.RequirePasswordChangeAsync(admin);
            LogGeneratedPassword(email, password);
        }
        else
        {
            LogConfiguredAdmin(email);
        }

        return admin;
    }

    /// <summary>
    /// When no one holds the system administrator role (a new install, or a database from before the role
    /// existed), gives it to the bootstrap admin (by email), else to the oldest account.
    /// </summary>
    /// <param name="expected">True on a first start, where the new admin becoming system administrator is the plan, not news.</param>
    public async Task EnsureSystemAdminAsync(bool expected, CancellationToken cancellationToken)
    {
        if (!await roles.RoleExistsAsync(SystemAdminRole.RoleName))
        {
            var created = await roles.CreateAsync(new IdentityRole(SystemAdminRole.RoleName));
            if (!created.Succeeded)
            {
                throw new InvalidOperationException("The system administrator role could not be created: " + string.Join(" ", created.Errors.Select(e => e.Description)));
            }
        }

        if ((await users.GetUsersInRoleAsync(SystemAdminRole.RoleName)).Count > 0)
        {
            return;
        }

        var admin = await users.FindByEmailAsync(settings.Bootstrap.AdminEmail.Trim())
            ?? await users.Users.OrderBy(u => u.CreatedAt).FirstOrDefaultAsync(cancellationToken);
        if (admin is null)
        {
            return;
        }

        var result = await users.AddToRoleAsync(admin, SystemAdminRole.RoleName);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("The first system administrator could not be set: " + string.Join(" ", result.Errors.Select(e => e.Description)));
        }

        if (expected)
        {
            LogFirstSystemAdmin(admin.Email ?? admin.Id);
        }
        else
        {
            LogSystemAdmin(admin.Email ?? admin.Id);
        }
    }

    internal static string GeneratePassword()
    {
        // Four guaranteed character classes, then random letters and digits: always passes Identity's rules.
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        var body = RandomNumberGenerator.GetString(alphabet, 20);
        return $"Nb{body}7!";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "FIRST START: created the admin user {Email} with the generated password {Password} . " +
        "It is shown only this once and must be changed at the first sign-in; or set Neruba:Bootstrap:AdminPassword before the first start.")]
    private partial void LogGeneratedPassword(string email, string password);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No one was a system administrator: {Email} now is (job dashboard, system administrators page).")]
    private partial void LogSystemAdmin(string email);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Email} is the system administrator (job dashboard, system administrators page).")]
    private partial void LogFirstSystemAdmin(string email);

    [LoggerMessage(Level = LogLevel.Information, Message = "First start: created the admin user {Email} with the configured password.")]
    private partial void LogConfiguredAdmin(string email);
}
