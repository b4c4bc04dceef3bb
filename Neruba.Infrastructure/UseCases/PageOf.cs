namespace Neruba.Infrastructure.UseCases;

/// <summary>One page of a list, with the total across all pages.</summary>
public sealed record PageOf<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize);

/// <summary>Paging input shared by list use cases: page numbers start at 0; sizes are capped.</summary>
public static class Paging
{
    public const int MaxPageSize = 200;

    public static (int Page, int Size) Normalize(int page, int pageSize) =>
        (Math.Max(0, page), pageSize <= 0 ? 25 : Math.Min(pageSize, MaxPageSize));

    /// <summary>Escapes LIKE wildcards so a search for "50%" finds that text, not everything.</summary>
    public static string LikePattern(string term) =>
        "%" + term.Trim().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal)
            .Replace("_", "\\_", StringComparison.Ordinal) + "%";
}
