namespace Neruba.Console.Access;

public static class AccountPaths
{
    public const string SignIn = "/account/sign-in";
    public const string SignInSubmit = "/account/sign-in/submit";
    public const string SignOut = "/account/sign-out";
    public const string AccessDenied = "/account/access-denied";
    public const string ChangePassword = "/account/change-password";

    /// <summary>Pages under here stay reachable while a person still has to replace a one-time password.</summary>
    public const string Prefix = "/account";

    public static string ChangePasswordFor(string returnUrl) => $"{ChangePassword}?returnUrl={Uri.EscapeDataString(returnUrl)}";
}
