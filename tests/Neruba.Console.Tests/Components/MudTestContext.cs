using Bunit;
using MudBlazor.Services;

namespace Neruba.Console.Tests.Components;

/// <summary>
/// A bunit context with MudBlazor's services; MudBlazor's JavaScript calls are answered loosely.
/// Some MudBlazor services are only asynchronously disposable, so xunit disposes the context asynchronously.
/// </summary>
public abstract class MudTestContext : BunitContext, IAsyncLifetime
{
    protected MudTestContext()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

}
