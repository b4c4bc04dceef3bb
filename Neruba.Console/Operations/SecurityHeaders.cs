using Microsoft.AspNetCore.CookiePolicy;
using Microsoft.Net.Http.Headers;

namespace Neruba.Console.Operations;

/// <summary>
/// Browser hardening on every response: a Content-Security-Policy (Blazor Server needs only its own scripts
/// and its WebSocket to the same origin; MudBlazor sets inline styles), no framing, no MIME sniffing, a
/// short referrer, HSTS on HTTPS, and Secure cookies whenever the request came over HTTPS.
/// </summary>
public static class SecurityHeaders
{
    private const string Common = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>The console: scripts from this origin only.</summary>
    public const string ConsolePolicy = "script-src 'self'; " + Common;

    /// <summary>The Hangfire dashboard writes inline scripts; only its pages may run them.</summary>
    public const string JobDashboardPolicy = "script-src 'self' 'unsafe-inline'; " + Common;

    /// <summary>JSON answers load nothing and are never framed.</summary>
    public const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'";

    public static IServiceCollection AddSecurityHeaders(this IServiceCollection services)
    {
        services.AddHsts(hsts => hsts.MaxAge = TimeSpan.FromDays(365));
        services.AddAntiforgery(antiforgery => antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        services.Configure<CookiePolicyOptions>(cookies =>
        {
            cookies.Secure = CookieSecurePolicy.SameAsRequest;
            cookies.HttpOnly = HttpOnlyPolicy.None;
        });
        return services;
    }

    /// <summary>Goes first (after the trusted-proxy step, so HTTPS behind a proxy counts as HTTPS).</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app)
    {
        app.UseHsts(); // only ever answers HSTS on HTTPS requests
        app.UseCookiePolicy();
        return app.Use((context, next) =>
        {
            // Chosen now: further in, the dashboard moves /jobs from the path into the path base.
            var policy = PolicyFor(context.Request.Path);
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers[HeaderNames.ContentSecurityPolicy] = ApiReferencePolicy(context) ?? policy;
                headers[HeaderNames.XContentTypeOptions] = "nosniff";
                headers[HeaderNames.XFrameOptions] = "DENY";
                headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
                return Task.CompletedTask;
            });
            return next(context);
        });
    }

    /// <summary>The API reference page starts Scalar with one inline script: only that script, by the page's own nonce, may run.</summary>
    private static string? ApiReferencePolicy(HttpContext context) =>
        context.Request.Path.StartsWithSegments(Api.Reference.ApiReference.PagePath, StringComparison.OrdinalIgnoreCase)
        && context.Items[Scalar.AspNetCore.ScalarOptions.NonceHttpContextItemKey] is string nonce
            ? $"script-src 'self' 'nonce-{nonce}'; " + Common
            : null;

    private static string PolicyFor(PathString path) =>
        path.StartsWithSegments(Api.ApiRegistration.Prefix, StringComparison.OrdinalIgnoreCase) ? ApiPolicy
        : path.StartsWithSegments(JobDashboard.Path, StringComparison.OrdinalIgnoreCase) ? JobDashboardPolicy
        : ConsolePolicy;
}
