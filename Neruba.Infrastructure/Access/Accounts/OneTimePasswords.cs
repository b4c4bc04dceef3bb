using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;

namespace Neruba.Infrastructure.Access.Accounts;

/// <summary>
/// A password someone else chose (an admin, or the first start) is only good for one sign-in: the
/// person must choose their own before using the console. The flag is a user claim in Identity's
/// own table, so it needs no schema change and is read fresh from the database on every check.
/// </summary>
public static class OneTimePasswords
{
    public const string MustChangeClaimType = "neruba:must-change-password";

    /// <summary>Random, and always within Identity's password rules (length, upper, lower, digit, symbol).</summary>
    public static string Generate() =>
        "Nb-" + RandomNumberGenerator.GetString("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789", 16) + "-7";

    public static async Task<bool> MustChangePasswordAsync(this UserManager<NerubaUser> users, NerubaUser user) =>
        (await users.GetClaimsAsync(user)).Any(c => c.Type == MustChangeClaimType);

    public static async Task<IdentityResult> RequirePasswordChangeAsync(this UserManager<NerubaUser> users, NerubaUser user) =>
        await users.MustChangePasswordAsync(user) ? IdentityResult.Success : await users.AddClaimAsync(user, new Claim(MustChangeClaimType, "true"));

    public static async Task<IdentityResult> ClearPasswordChangeAsync(this UserManager<NerubaUser> users, NerubaUser user)
    {
        var flags = (await users.GetClaimsAsync(user)).Where(c => c.Type == MustChangeClaimType).ToList();
        return flags.Count == 0 ? IdentityResult.Success : await users.RemoveClaimsAsync(user, flags);
    }
}
