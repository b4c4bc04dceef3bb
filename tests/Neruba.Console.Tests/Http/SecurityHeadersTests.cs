using System.Net;
using Neruba.Console.Access;
using Neruba.Console.Tests.Support;

namespace Neruba.Console.Tests.Http;

public sealed class SecurityHeadersTests
{
    [Fact]
    public async Task A_console_page_has_a_strict_content_security_policy_and_the_hardening_headers()
    {
        using var app = new ConsoleAppFactory();
        using var client = app.CreateBrowserClient();

        using var response = await client.GetAsync(new Uri("/account/sign-in", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csp = Header(response, "Content-Security-Policy");
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
        Assert.Contains("style-src 'self' 'unsafe-inline'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        AssertHardening(response);
        Assert.False(response.Headers.Contains("Strict-Transport-Security"), "HSTS is for HTTPS requests only.");
    }

    [Fact]
    public async Task The_job_dashboard_has_the_headers_with_inline_scripts_allowed_only_there()
    {
        using var app = new ConsoleAppFactory();
        using var client = app.CreateBrowserClient();
        await client.SignInAsync(ConsoleAppFactory.AdminEmail, ConsoleAppFactory.AdminPassword);

        using var response = await client.GetAsync(new Uri("/jobs", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csp = Header(response, "Content-Security-Policy");
        Assert.Contains("script-src 'self' 'unsafe-inline'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        AssertHardening(response);
    }

    [Fact]
    public async Task Api_answers_are_not_sniffed_or_framed()
    {
        using var app = new ConsoleAppFactory();
        using var client = app.CreateApiClient(null);

        using var response = await client.GetAsync(new Uri("/api/v1/customers", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Contains("frame-ancestors 'none'", Header(response, "Content-Security-Policy"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Over_https_behind_a_configured_proxy_the_answer_has_hsts_and_the_cookies_are_secure()
    {
        using var app = new ConsoleAppFactory(settings: new Dictionary<string, string> { [TrustedProxies.SettingKey] = "127.0.0.1" });
        using var client = app.CreateBrowserClient();

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/account/sign-in", UriKind.Relative));
        request.Headers.Host = "billing.example.test";
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("max-age=", Header(response, "Strict-Transport-Security"), StringComparison.Ordinal);
        var cookies = response.Headers.GetValues("Set-Cookie").ToList();
        Assert.NotEmpty(cookies);
        Assert.All(cookies, cookie => Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase));
    }

    private static void AssertHardening(HttpResponseMessage response)
    {
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("strict-origin-when-cross-origin", Header(response, "Referrer-Policy"));
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : "";
}
