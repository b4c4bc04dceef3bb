using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Neruba.Infrastructure.Access;

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

    private static async Task<IResult> SignInAsync([FromForm] SignInForm form, SignInManager<NerubaUser> signIn)
    {
        var returnUrl = SafeReturnUrl(form.ReturnUrl);
        if (string.IsNullOrWhiteSpace(form.Email) || string.IsNullOrEmpty(form.Password))
        {
            return BackToSignIn("missing", form.Email, returnUrl);
        }

        var result = await signIn.PasswordSignInAsync(form.Email.Trim(), form.Password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            return Results.LocalRedirect(returnUrl);
        }

        return BackToSignIn(result.IsLockedOut ? "locked" : result.IsNotAllowed ? "not-allowed" : "invalid", form.Email, returnUrl);
    }

    private static async Task<IResult> SignOutAsync(SignInManager<NerubaUser> signIn)
    {
        await signIn.SignOutAsync();
        return Results.LocalRedirect(AccountPaths.SignIn + "?signedOut=true");
    }

    private static IResult BackToSignIn(string error, string? email, string returnUrl) =>
        Results.LocalRedirect(
            $"{AccountPaths.SignIn}?error={error}&email={Uri.EscapeDataString(email?.Trim() ?? "")}&returnUrl={Uri.EscapeDataString(returnUrl)}");

    /// <summary>Only paths inside this app: a crafted link must not bounce a fresh session to another site.</summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal)
            && !returnUrl.StartsWith("/\\", StringComparison.Ordinal)
            ? returnUrl
            : "/";
}
