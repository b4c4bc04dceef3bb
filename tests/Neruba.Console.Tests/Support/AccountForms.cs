using System.Net;
using System.Text.RegularExpressions;

namespace Neruba.Console.Tests.Support;

/// <summary>Posts the account forms the way a browser does: page first (antiforgery token), then the form.</summary>
public static partial class AccountForms
{
    public static async Task<HttpResponseMessage> PostChangePasswordAsync(this HttpClient client, string current, string next, string? confirm = null)
    {
        var page = await client.GetStringAsync(new Uri("/account/change-password", UriKind.Relative));
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = TokenIn(page),
            ["_handler"] = "change-password",
            ["Input.CurrentPassword"] = current,
            ["Input.NewPassword"] = next,
            ["Input.ConfirmPassword"] = confirm ?? next,
        });
        return await client.PostAsync(new Uri("/account/change-password", UriKind.Relative), form);
    }

    /// <summary>Posts the user menu's sign-out form (its cookie is SameSite=Strict; the endpoint reads no form fields).</summary>
    public static async Task<HttpResponseMessage> PostSignOutAsync(this HttpClient client)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>());
        return await client.PostAsync(new Uri("/account/sign-out", UriKind.Relative), form);
    }

    /// <summary>Where a GET of the path sends the client: its Location, or null when it is answered 200.</summary>
    public static async Task<string?> RedirectOfAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        return response.StatusCode == HttpStatusCode.OK ? null : response.Headers.Location?.OriginalString ?? response.StatusCode.ToString();
    }

    private static string TokenIn(string page)
    {
        var token = Token().Match(page).Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(token), "The page has no antiforgery token.");
        return WebUtility.HtmlDecode(token);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
