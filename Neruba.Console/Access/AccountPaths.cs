namespace Neruba.Console.Access;

public static class AccountPaths
{
    public const string SignIn = "/account/sign-in";
    public const string SignInSubmit = "/account/sign-in/submit";
    public const string SignOut = "/account/sign-out";
    public const string AccessDenied = "/account/access-denied";
}
