using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Neruba.Infrastructure.Access;
using Neruba.Infrastructure.Access.Accounts;

namespace Neruba.Console.Access;

/// <summary>
/// Sign-in and sign-out are plain form posts: the auth cookie can only be written on an HTTP
/// response, never from inside an interactive circuit.
/// </summary>
public static class AccountEndpoints
{
    public sealed class SignInForm
    {
        public string? Email { get; set; }
        public string? Password { get; set; }
        public string? ReturnUrl { get; set; }
    }

    public static void MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(AccountPaths.SignInSubmit, SignInAsync).AllowAnonymous();
        endpoints.MapPost(AccountPaths.SignOut, SignOutAsync);
    }

    /// <summary>
    /// Unknown email, wrong password and locked account all answer "invalid" after one password hash
    /// check, so neither the words nor the time tell whether an account exists.
    /// </summary>
    private static async Task<IResult> SignInAsync([FromForm] SignInForm form, HttpContext http, SignInManager<NerubaUser> signIn, SignInThrottle throttle)
    {
        var returnUrl = SafeReturnUrl(form.ReturnUrl);
        var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (throttle.WaitFor(address) is { } wait)
        {
            return BackToSignIn($"throttled&wait={Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes))}", returnUrl);
        }

        if (string.IsNullOrWhiteSpace(form.Email) || string.IsNullOrEmpty(form.Password))
        {
            return BackToSignIn("missing", returnUrl);
        }

        var users = signIn.UserManager;
        var user = await users.FindByEmailAsync(form.Email.Trim());
        var lockedBefore = user is not null && await users.IsLockedOutAsync(user);
        var result = user is null ? Microsoft.AspNetCore.Identity.SignInResult.Failed
            : await signIn.PasswordSignInAsync(user, form.Password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            return Results.LocalRedirect(await users.MustChangePasswordAsync(user!) ? AccountPaths.ChangePasswordFor(returnUrl) : returnUrl);
        }

        if (user is null || lockedBefore || result.IsNotAllowed)
        {
            // Identity checked no password here; spend the same work on a dummy hash.
            users.PasswordHasher.VerifyHashedPassword(new NerubaUser(), DummyHash(users), form.Password);
        }

        throttle.RecordFailure(address);
        return BackToSignIn("invalid", returnUrl);
    }

    /// <summary>Ends every session of the person, not only this browser's: the new security stamp voids older cookies.</summary>
    private static async Task<IResult> SignOutAsync(HttpContext http, SignInManager<NerubaUser> signIn)
    {
        if (await signIn.UserManager.GetUserAsync(http.User) is { } user)
        {
            await signIn.UserManager.UpdateSecurityStampAsync(user);
        }

        await signIn.SignOutAsync();
        return Results.LocalRedirect(AccountPaths.SignIn + "?signedOut=true");
    }

    // The email is not echoed back: the answer for an unknown and a known email must be the same bytes.
    private static IResult BackToSignIn(string error, string returnUrl) =>
        Results.LocalRedirect($"{AccountPaths.SignIn}?error={error}&returnUrl={Uri.EscapeDataString(returnUrl)}");

    private static string? _dummyHash;

    private static string DummyHash(UserManager<NerubaUser> users) =>
        _dummyHash ??= users.PasswordHasher.HashPassword(new NerubaUser(), "not a password anyone has: " + Guid.NewGuid());

    /// <summary>
    /// Only paths inside this app (the framework's own local-URL rule: no "//", "/\", control characters
    /// or absolute URLs): a crafted link must not bounce a fresh session to another site, nor break the redirect.
    /// </summary>
    public static string SafeReturnUrl(string? returnUrl) => RedirectHttpResult.IsLocalUrl(returnUrl) && !returnUrl!.StartsWith('~') ? returnUrl : "/";
}
