using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Neruba.Console.Access;
using Neruba.Console.Tests.Support;
using Neruba.Infrastructure.Access;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Console.Tests.Components;

/// <summary>
/// Signs members of a running app into a bunit context: their project access (to cascade), the app's use case runner, and the use cases the
/// components under test inject, taken from the app. The first sign-in wires the services; later ones only switch the person.
/// </summary>
public sealed class ComponentSignIn(BunitContext context, ConsoleAppFactory app, Func<IServiceProvider> appServices, params Type[] useCases)
{
    private BunitAuthorizationContext? _auth;

    public ProjectAccess Access { get; private set; } = default!;

    /// <summary>The popover provider rendered at sign-in: open menus and suggestion lists show up in its markup.</summary>
    public IRenderedComponent<MudPopoverProvider> Popovers { get; private set; } = default!;

    public async Task AsAsync(string userId)
    {
        var first = _auth is null;
        _auth ??= context.AddAuthorization();
        _auth.SetAuthorized(userId);
        _auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, userId));
        Access = await appServices().GetRequiredService<ProjectAccessService>().GetAsync(userId);
        if (!first)
        {
            return;
        }

        context.Services.AddSingleton(app.Services.GetRequiredService<UseCaseRunner>());
        context.Services.AddSingleton(appServices().GetRequiredService<ProjectAccessService>());
        context.Services.AddScoped<ProjectInView>();
        context.Services.AddScoped<ConsoleSession>();
        foreach (var useCase in useCases)
        {
            context.Services.AddTransient(useCase, _ => appServices().GetRequiredService(useCase));
        }

        Popovers = context.Render<MudPopoverProvider>(); // selects, tooltips and the pager's menu need one
    }
}
