using Microsoft.JSInterop;

namespace Neruba.Console.Components.Shared;

/// <summary>
/// Reloads a page's data every <see cref="Interval"/> while the page has something moving (e.g. an active run) and its
/// browser tab is visible; a hidden tab or a finished run costs no query. Disposing stops it (the person left the page).
/// </summary>
public sealed class PagePoller : IAsyncDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource _stop = new();
    private DotNetObjectReference<PagePoller>? _self;
    private IJSObjectReference? _module;
    private IJSObjectReference? _watch;

    // Until the browser says otherwise the tab is visible: a page that cannot ask must still show progress.
    public bool Visible { get; private set; } = true;

    /// <summary>Starts polling; call once, after the first interactive render (the browser is needed to know the tab's visibility).</summary>
    /// <param name="render">The component's InvokeAsync: loads and re-renders run on its renderer, never beside an event handler.</param>
    public async Task StartAsync(IJSRuntime js, Func<bool> active, Func<Task> load, Action changed, Func<Func<Task>, Task> render)
    {
        // Taken once: the loop may still be winding down after DisposeAsync disposed the source.
        var stopped = _stop.Token;
        _self = DotNetObjectReference.Create(this);
        try
        {
            _module = await js.InvokeAsync<IJSObjectReference>("import", stopped, "./js/page-visibility.js");
            _watch = await _module.InvokeAsync<IJSObjectReference>("watch", stopped, _self);
        }
        catch (Exception e) when (e is JSException or JSDisconnectedException or OperationCanceledException)
        {
            // No visibility reports: keep polling as if visible.
        }

        if (stopped.IsCancellationRequested)
        {
            // Disposed while the browser answered: nothing was there yet to stop.
            await StopWatchingAsync();
            return;
        }

        _ = LoopAsync(active, load, changed, render, stopped);
    }

    [JSInvokable]
    public void SetVisible(bool visible) => Visible = visible;

    private async Task LoopAsync(Func<bool> active, Func<Task> load, Action changed, Func<Func<Task>, Task> render, CancellationToken stopped)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stopped))
            {
                if (Visible)
                {
                    await render(async () =>
                    {
                        if (active())
                        {
                            await load();
                            changed();
                        }
                    });
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The person left the page.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await StopWatchingAsync();
        _self?.Dispose();
        _stop.Dispose();
    }

    private async Task StopWatchingAsync()
    {
        var (watch, module) = (_watch, _module);
        (_watch, _module) = (null, null);
        try
        {
            if (watch is not null)
            {
                await watch.InvokeVoidAsync("stop");
                await watch.DisposeAsync();
            }

            if (module is not null)
            {
                await module.DisposeAsync();
            }
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone, and the page's listeners with it.
        }
    }
}
