using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Neruba.Infrastructure.Access;
using Neruba.Infrastructure.Access.Accounts;
using Neruba.Infrastructure.Configuration;

namespace Neruba.Infrastructure.Startup;

/// <summary>Creates the first admin when the database has no users, so a fresh install can be signed in to.</summary>
internal sealed partial class BootstrapAdmin(
    UserManager<NerubaUser> users,
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

    private static string GeneratePassword()
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

    [LoggerMessage(Level = LogLevel.Information, Message = "First start: created the admin user {Email} with the configured password.")]
    private partial void LogConfiguredAdmin(string email);
}
