using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Neruba.Console.Access;
using Neruba.Console.Tests.Support;
using Neruba.Infrastructure.Access;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Console.Tests.Components;

/// <summary>
/// Components rendered against a running app: a person signed in (their access read fresh), the console session and the use cases the page
/// injects taken from the app, so the pages run their real use cases on the app's database.
/// </summary>
public abstract class AppSessionTestContext(ConsoleAppFactory app) : MudTestContext, IDisposable
{
    private IServiceScope? _scope;
    private BunitAuthorizationContext? _auth;

    protected ProjectAccess Access { get; private set; } = default!;

    protected IServiceScope AppScope => _scope ??= app.Services.CreateScope();

    void IDisposable.Dispose()
    {
        _scope?.Dispose();
        GC.SuppressFinalize(this);
    }

    protected async Task SignInAsync(string userId, params Type[] useCases)
    {
        var first = _auth is null;
        _auth ??= AddAuthorization();
        _auth.SetAuthorized(userId);
        _auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, userId));
        Access = await AppScope.ServiceProvider.GetRequiredService<ProjectAccessService>().GetAsync(userId);
        if (!first)
        {
            return;
        }

        Services.AddSingleton(app.Services.GetRequiredService<UseCaseRunner>());
        Services.AddSingleton(AppScope.ServiceProvider.GetRequiredService<ProjectAccessService>());
        Services.AddScoped<ProjectInView>();
        Services.AddScoped<ConsoleSession>();
        foreach (var useCase in useCases)
        {
            Services.AddTransient(useCase, _ => AppScope.ServiceProvider.GetRequiredService(useCase));
        }

        Render<MudPopoverProvider>(); // selects, tooltips and the pager's menu need one
    }

    protected IRenderedComponent<T> RenderWithAccess<T>(Action<ComponentParameterCollectionBuilder<T>> parameters) where T : IComponent =>
        Render<T>(p =>
        {
            parameters(p);
            p.AddCascadingValue(Access);
        });
}
