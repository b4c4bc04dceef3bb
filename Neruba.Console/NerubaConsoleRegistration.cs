using Microsoft.AspNetCore.Authorization;
using MudBlazor;
using MudBlazor.Services;
using Neruba.Console.Access;
using Neruba.Console.Api;
using Neruba.Console.Components;
using Neruba.Console.Documents;
using Neruba.Console.Operations;
using Neruba.Console.Payments;

namespace Neruba.Console;

public static class NerubaConsoleRegistration
{
    /// <summary>The console's own services: Blazor, MudBlazor, sign-in cookie and permission policies.</summary>
    public static IServiceCollection AddNerubaConsole(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        // A dialog first focuses itself through Blazor's focus(), which throws, ending the circuit (and every live page in it), when the dialog is
        // already closed by the time the call reaches the browser: a quick answer on a loaded server. MudBlazor's own first-child focus skips a
        // missing element, and in a confirmation lands on Cancel, so Enter never confirms by accident.
        MudGlobal.DialogDefaults.DefaultFocus = DefaultFocus.FirstChild;
        services.AddCascadingAuthenticationState();
        services.AddHttpContextAccessor();

        services.ConfigureApplicationCookie(cookie =>
        {
            cookie.LoginPath = AccountPaths.SignIn;
            cookie.LogoutPath = AccountPaths.SignOut;
            cookie.AccessDeniedPath = AccountPaths.AccessDenied;
            cookie.Cookie.Name = "neruba.auth";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.SlidingExpiration = true;
            cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
        });
        services.AddAuthorization(PermissionPolicies.Register);
        services.AddScoped<IAuthorizationHandler, PermissionHandler>();
        services.AddScoped<ProjectInView>();
        services.AddAuthorization(SystemAdminPolicy.Register);
        services.AddScoped<IAuthorizationHandler, SystemAdminHandler>();
        services.AddScoped<ConsoleSession>();
        services.AddSingleton<Operations.Runbooks.RunbookLibrary>();
        services.AddNerubaAccounts();
        services.AddNerubaApi();
        services.AddTrustedProxies();
        services.AddUnhandledErrors();
        services.AddSecurityHeaders();
        services.AddNerubaMetrics(configuration);
        return services;
    }

    /// <summary>The request pipeline and every endpoint the console serves.</summary>
    public static WebApplication UseNerubaConsole(this WebApplication app)
    {
        app.UseTrustedProxies();
        app.MapNerubaMetrics();
        app.UseSecurityHeaders();
        app.UseUnhandledErrors();

        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.Use((http, next) =>
        {
            // Only page loads get the friendly status page: re-running a refused form post (e.g. a stale antiforgery token)
            // against a page would trip the same check again and turn a 400 into a 500.
            if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method)
                && http.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } statusPages)
            {
                statusPages.Enabled = false;
            }

            return next(http);
        });
        app.UseAuthentication();
        app.UsePasswordChangeGate();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapStaticAssets();
        app.MapNerubaHealth();
        app.MapAccountEndpoints();
        app.MapNerubaApi();
        app.MapJobDashboard();
        app.MapAuditExport();
        app.MapBackfillRejections();
        app.MapDocumentDownloads();
        app.MapStripeWebhooks();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
