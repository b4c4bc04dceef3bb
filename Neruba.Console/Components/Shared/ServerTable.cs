using MudBlazor;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Console.Components.Shared;

/// <summary>What a MudTable asks for (page, size, sort column and direction), in the terms a list use case takes.</summary>
/// <typeparam name="TSort">The use case's sort field enum; the table's sort labels are its names.</typeparam>
public readonly record struct TableQuery<TSort>(int Page, int PageSize, TSort Sort, bool Descending) where TSort : struct, Enum;

/// <summary>
/// The one mapping between MudTable's server paging and the list use cases (<see cref="PageOf{T}"/>): every list pages and sorts
/// in the database, and a column the person has not sorted (or has clicked back to unsorted) falls back to the list's default order.
/// </summary>
public static class ServerTable
{
    public static TableQuery<TSort> Query<TSort>(TableState state, TSort defaultSort, bool defaultDescending) where TSort : struct, Enum =>
        state.SortDirection != SortDirection.None && Enum.TryParse<TSort>(state.SortLabel, out var sort)
            ? new(state.Page, state.PageSize, sort, state.SortDirection == SortDirection.Descending)
            : new(state.Page, state.PageSize, defaultSort, defaultDescending);

    /// <summary>The rows of a page, or none when the use case refused (the page shows <see cref="UseCaseResult{T}.Message"/>).</summary>
    public static TableData<T> Data<T>(UseCaseResult<PageOf<T>> result) =>
        result.Succeeded
            ? new TableData<T> { Items = result.Value!.Items, TotalItems = result.Value.Total }
            : new TableData<T> { Items = [], TotalItems = 0 };

    /// <summary>Rows that open their page read as clickable.</summary>
    public const string ClickableRowStyle = "cursor: pointer";
}
