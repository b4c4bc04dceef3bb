using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Neruba.Infrastructure.Access;
using Neruba.Infrastructure.Access.Accounts;

namespace Neruba.Console.Access;

/// <summary>
/// An open console tab (a Blazor circuit) never sends the cookie again, so the cookie's own security
/// stamp check cannot reach it. This re-checks the stamp every minute: after a sign-out elsewhere, a
/// password change or an admin's reset the circuit turns anonymous and the page sends the person to sign in.
/// </summary>
public sealed class RevalidatingAuthenticationState(ILoggerFactory loggerFactory, IServiceScopeFactory scopes, IOptions<IdentityOptions> identity)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        IsStillValidAsync(authenticationState.User);

    /// <summary>False when the account is gone, its security stamp moved on, or it must first replace a one-time password.</summary>
    public async Task<bool> IsStillValidAsync(ClaimsPrincipal principal)
    {
        // A scope per check: the circuit's own scope lives for hours and would cache the user.
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<NerubaUser>>();
        var user = await users.GetUserAsync(principal);
        if (user is null)
        {
            return false;
        }

        var stamp = principal.FindFirstValue(identity.Value.ClaimsIdentity.SecurityStampClaimType);
        return stamp == await users.GetSecurityStampAsync(user) && !await users.MustChangePasswordAsync(user);
    }
}
