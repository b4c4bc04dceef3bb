using System.Net;
using Neruba.Console.Access;
using Neruba.Console.Tests.Support;
using Neruba.Domain.Access;

namespace Neruba.Console.Tests.Http;

public class SignInHardeningTests
{
    [Fact]
    public async Task An_unknown_email_a_wrong_password_and_a_locked_account_get_the_same_answer()
    {
        using var app = new ConsoleAppFactory();
        await app.CreateMemberAsync("locked@example.test", ProjectRole.Viewer);
        using var client = app.CreateBrowserClient();
        for (var i = 0; i < 5; i++)
        {
            using var _ = await client.PostSignInAsync("locked@example.test", "wrong-password-" + i);
        }

        using var unknown = await client.PostSignInAsync("nobody@example.test", "Some-Password-42!", "/customers");
        using var wrong = await client.PostSignInAsync(ConsoleAppFactory.AdminEmail, "Some-Password-42!", "/customers");
        using var locked = await client.PostSignInAsync("locked@example.test", ConsoleAppFactory.MemberPassword, "/customers");

        foreach (var response in new[] { wrong, locked })
        {
            Assert.Equal(unknown.StatusCode, response.StatusCode);
            Assert.Equal(unknown.Headers.Location, response.Headers.Location);
            Assert.Equal(await unknown.Content.ReadAsStringAsync(), await response.Content.ReadAsStringAsync());
        }

        Assert.Equal("/account/sign-in?error=invalid&returnUrl=%2Fcustomers", unknown.Headers.Location?.OriginalString);
        var form = await client.GetStringAsync(unknown.Headers.Location);
        Assert.Contains("The email or password is not right.", form, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_too_many_failures_from_one_address_even_the_right_password_is_refused_with_the_wait()
    {
        using var app = new ConsoleAppFactory(settings: new Dictionary<string, string> { [SignInThrottle.SettingKey] = "3" });
        using var client = app.CreateBrowserClient();
        foreach (var email in new[] { "a@example.test", "b@example.test", ConsoleAppFactory.AdminEmail })
        {
            using var failed = await client.PostSignInAsync(email, "Wrong-Password-42!");
            Assert.Contains("error=invalid", failed.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }

        using var refused = await client.PostSignInAsync(ConsoleAppFactory.AdminEmail, ConsoleAppFactory.AdminPassword);

        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/account/sign-in?error=throttled&wait=5", refused.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var form = await client.GetStringAsync(refused.Headers.Location);
        Assert.Contains("Too many attempts from this address; wait 5 minutes", form, StringComparison.Ordinal);
        Assert.NotNull(await client.RedirectOfAsync("/"));
    }

    [Theory]
    [InlineData("/\t/evil.example")]
    [InlineData("/%09/evil.example")]
    [InlineData("/\r\n/evil.example")]
    [InlineData("/\u0001/evil.example")]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("https://evil.example/")]
    [InlineData("javascript:alert(1)")]
    public async Task A_hostile_return_url_neither_fails_nor_leaves_the_site(string returnUrl)
    {
        using var app = new ConsoleAppFactory();
        using var client = app.CreateBrowserClient();

        using var page = await client.GetAsync(new Uri("/account/sign-in?returnUrl=" + Uri.EscapeDataString(returnUrl), UriKind.Relative));
        using var failed = await client.PostSignInAsync("nobody@example.test", "Wrong-Password-42!", returnUrl);
        using var signedIn = await client.PostSignInAsync(ConsoleAppFactory.AdminEmail, ConsoleAppFactory.AdminPassword, returnUrl);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, failed.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var location = signedIn.Headers.Location!.OriginalString;
        Assert.DoesNotContain(location, char.IsControl);
        Assert.Equal(client.BaseAddress!.Authority, new Uri(client.BaseAddress, location).Authority);
        Assert.True(location == "/" || location == "/%09/evil.example", $"Redirected to '{location}'.");
    }
}
