using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;

namespace Neruba.Infrastructure.UseCases;

/// <summary>One page of a list, with the total across all pages.</summary>
public sealed record PageOf<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize);

/// <summary>Paging input shared by list use cases: page numbers start at 0; sizes are capped.</summary>
public static class Paging
{
    public const int MaxPageSize = 200;

    public static (int Page, int Size) Normalize(int page, int pageSize)
    {
        var size = pageSize <= 0 ? 25 : Math.Min(pageSize, MaxPageSize);
        // page x size must not overflow: a huge page number would wrap to a negative offset (SQLite reads it as 0, page one again).
        return (Math.Clamp(page, 0, int.MaxValue / size - 1), size);
    }

    /// <summary>
    /// Counts the filtered rows, then reads one page of them in the list's order, shaped by <paramref name="select"/>:
    /// both in the database, so a list never loads more than a page.
    /// </summary>
    public static async Task<PageOf<TOut>> PageAsync<T, TOut>(this IQueryable<T> filtered, Func<IQueryable<T>, IQueryable<T>> order, int page, int pageSize,
        Expression<Func<T, TOut>> select, CancellationToken cancellationToken)
    {
        var (index, size) = Normalize(page, pageSize);
        var total = await filtered.CountAsync(cancellationToken);
        var items = await order(filtered).Skip(index * size).Take(size).Select(select).ToListAsync(cancellationToken);
        return new PageOf<TOut>(items, total, index, size);
    }

    /// <summary>Escapes LIKE wildcards so a search for "50%" finds that text, not everything.</summary>
    public static string LikePattern(string term) =>
        "%" + term.Trim().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal)
            .Replace("_", "\\_", StringComparison.Ordinal) + "%";
}
