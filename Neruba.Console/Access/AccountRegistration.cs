using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Neruba.Infrastructure.Access.Accounts;

namespace Neruba.Console.Access;

public static class AccountRegistration
{
    /// <summary>Session validation, sign-in throttling and password changes.</summary>
    public static IServiceCollection AddNerubaAccounts(this IServiceCollection services)
    {
        // Every cookie request checks the security stamp, so a sign-out or password change ends
        // the other sessions at their next request rather than up to 30 minutes later.
        services.Configure<SecurityStampValidatorOptions>(options => options.ValidationInterval = TimeSpan.Zero);
        services.AddScoped<AuthenticationStateProvider, RevalidatingAuthenticationState>();
        services.AddSingleton<SignInThrottle>();
        services.AddScoped<ChangeOwnPassword>();
        return services;
    }

    /// <summary>After authentication, before authorization: people with a one-time password go to the change-password page first, whatever the page.</summary>
    public static IApplicationBuilder UsePasswordChangeGate(this IApplicationBuilder app) => app.UseMiddleware<PasswordChangeGate>();
}
