using MudBlazor;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Console.Components.Shared;

/// <summary>
/// Loads a MudTable's pages so that the newest request always wins. MudTable cancels the token of a request it has replaced but
/// still shows whichever answer lands last; a slow, older answer (the first load, a search two keystrokes ago) would then replace
/// the newer one, and a cancelled query would throw into the circuit. Here a replaced request answers with the newest one instead.
/// One per table; MudTable calls it on the circuit's dispatcher, one step at a time.
/// </summary>
public sealed class LatestPage<T>
{
    private Task<UseCaseResult<PageOf<T>>?>? _latest;

    /// <summary>Why the newest page could not be read (the use case refused), or null.</summary>
    public string? Error { get; private set; }

    public async Task<TableData<T>> LoadAsync(Func<CancellationToken, Task<UseCaseResult<PageOf<T>>>> load, CancellationToken cancellationToken)
    {
        var request = SettleAsync(load(cancellationToken));
        _latest = request;
        var result = await request;
        while (cancellationToken.IsCancellationRequested && _latest is { } newer && newer != request)
        {
            request = newer;
            result = await request;
        }

        if (result is null)
        {
            // Cancelled with nothing newer: the table is going away.
            return new TableData<T> { Items = [], TotalItems = 0 };
        }

        Error = result.Succeeded ? null : result.Message;
        return ServerTable.Data(result);
    }

    private static async Task<UseCaseResult<PageOf<T>>?> SettleAsync(Task<UseCaseResult<PageOf<T>>> request)
    {
        try
        {
            return await request;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }
}
