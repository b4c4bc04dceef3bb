using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Neruba.Infrastructure.Access;
using Neruba.Infrastructure.Access.Accounts;

namespace Neruba.Console.Access;

/// <summary>
/// Until a person replaces a one-time password, every console page and download sends them to the
/// change-password page. Account pages, the API (API keys, not cookies), health and static assets
/// (endpoints that ask for no authorization) pass. The flag is read from the database on each request.
/// Open circuits are covered by <see cref="RevalidatingAuthenticationState"/>.
/// </summary>
public sealed class PasswordChangeGate(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext http, UserManager<NerubaUser> users)
    {
        if (http.User.Identity?.IsAuthenticated == true && IsGated(http) && http.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId
            && await users.FindByIdAsync(userId) is { } user && await users.MustChangePasswordAsync(user))
        {
            http.Response.Redirect(AccountPaths.ChangePasswordFor(http.Request.Path + http.Request.QueryString));
            return;
        }

        await next(http);
    }

    private static bool IsGated(HttpContext http)
    {
        var path = http.Request.Path;
        if (path.StartsWithSegments(AccountPaths.Prefix, StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var metadata = http.GetEndpoint()?.Metadata;
        return metadata?.GetMetadata<IAuthorizeData>() is not null && metadata.GetMetadata<IAllowAnonymous>() is null;
    }
}
