using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Neruba.Console.Tests.Support;
using Neruba.Infrastructure.Access;

namespace Neruba.Console.Tests.Components;

/// <summary>
/// Components rendered against a running app: a person signed in (their access read fresh), the console session and the use cases the page
/// injects taken from the app, so the pages run their real use cases on the app's database.
/// </summary>
public abstract class AppSessionTestContext(ConsoleAppFactory app) : MudTestContext, IDisposable
{
    private IServiceScope? _scope;
    private ComponentSignIn? _signIn;

    protected ProjectAccess Access { get; private set; } = default!;

    /// <summary>Where open popovers (menus, suggestion lists) render, once signed in.</summary>
    protected IRenderedComponent<MudBlazor.MudPopoverProvider> Popovers => _signIn!.Popovers;

    protected IServiceScope AppScope => _scope ??= app.Services.CreateScope();

    void IDisposable.Dispose()
    {
        _scope?.Dispose();
        GC.SuppressFinalize(this);
    }

    protected async Task SignInAsync(string userId, params Type[] useCases)
    {
        _signIn ??= new ComponentSignIn(this, app, () => AppScope.ServiceProvider, useCases);
        await _signIn.AsAsync(userId);
        Access = _signIn.Access;
    }

    protected IRenderedComponent<T> RenderWithAccess<T>(Action<ComponentParameterCollectionBuilder<T>> parameters) where T : IComponent =>
        Render<T>(p =>
        {
            parameters(p);
            p.AddCascadingValue(Access);
        });
}
