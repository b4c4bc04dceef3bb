using System.Net;
using Neruba.Console.Tests.Support;
using Neruba.Domain.Access;

namespace Neruba.Console.Tests.Http;

public class AuthenticationTests
{
    [Theory]
    [InlineData("/")]
    [InlineData("/customers")]
    [InlineData("/operations/jobs")]
    public async Task An_anonymous_visitor_is_sent_to_sign_in(string path)
    {
        using var app = new ConsoleAppFactory();
        using var client = app.CreateBrowserClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.ToString();
        Assert.Contains("/account/sign-in", location, StringComparison.Ordinal);
        Assert.Contains("ReturnUrl=" + Uri.EscapeDataString(path), location, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_bootstrap_admin_signs_in_and_sees_the_demo_project()
    {
        using var app = new ConsoleAppFactory();
        using var client = app.CreateBrowserClient();

        await client.SignInAsync(ConsoleAppFactory.AdminEmail, ConsoleAppFactory.AdminPassword);
        var home = await client.GetStringAsync(new Uri("/", UriKind.Relative));

        Assert.Contains("Demo project", home, StringComparison.Ordinal);
        Assert.Contains("Admin", home, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_returns_to_the_form_with_a_message_and_no_session()
    {
        using var app = new ConsoleAppFactory();
        using var client = app.CreateBrowserClient();

        using var response = await client.PostSignInAsync(ConsoleAppFactory.AdminEmail, "not-the-password");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var form = await client.GetStringAsync(response.Headers.Location);
        Assert.Contains("The email or password is not right.", form, StringComparison.Ordinal);
        using var home = await client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
    }

    [Fact]
    public async Task Repeated_failures_lock_the_account_even_for_the_right_password()
    {
        using var app = new ConsoleAppFactory();
        using var client = app.CreateBrowserClient();
        await app.CreateMemberAsync("viewer@example.test", ProjectRole.Viewer);

        for (var i = 0; i < 5; i++)
        {
            using var _ = await client.PostSignInAsync("viewer@example.test", "wrong-password-" + i);
        }

        // The answer is the generic one (an unknown email gets the same), and its words mention the lockout.
        using var response = await client.PostSignInAsync("viewer@example.test", ConsoleAppFactory.MemberPassword);
        Assert.Contains("error=invalid", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        var form = await client.GetStringAsync(response.Headers.Location);
        Assert.Contains("locked for 15 minutes", form, StringComparison.Ordinal);
        using var home = await client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
    }

    [Fact]
    public async Task A_return_url_to_another_site_is_ignored()
    {
        using var app = new ConsoleAppFactory();
        using var client = app.CreateBrowserClient();

        using var response = await client.PostSignInAsync(ConsoleAppFactory.AdminEmail, ConsoleAppFactory.AdminPassword, "//evil.example/steal");

        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        using var app = new ConsoleAppFactory();
        using var client = app.CreateBrowserClient();
        await client.SignInAsync(ConsoleAppFactory.AdminEmail, ConsoleAppFactory.AdminPassword);
        var home = await client.GetStringAsync(new Uri("/", UriKind.Relative));
        var token = System.Text.RegularExpressions.Regex.Match(home, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;

        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token) });
        using var signOut = await client.PostAsync(new Uri("/account/sign-out", UriKind.Relative), form);
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);

        using var after = await client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Contains("/account/sign-in", after.Headers.Location!.ToString(), StringComparison.Ordinal);
    }
}
