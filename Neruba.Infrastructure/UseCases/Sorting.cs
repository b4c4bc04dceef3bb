using System.Linq.Expressions;

namespace Neruba.Infrastructure.UseCases;

/// <summary>Ordering with the direction as a value, so a list use case maps its sort field once instead of once per direction.</summary>
public static class Sorting
{
    public static IOrderedQueryable<T> OrderBy<T, TKey>(this IQueryable<T> query, Expression<Func<T, TKey>> key, bool descending) =>
        descending ? query.OrderByDescending(key) : query.OrderBy(key);

    public static IOrderedQueryable<T> ThenBy<T, TKey>(this IOrderedQueryable<T> query, Expression<Func<T, TKey>> key, bool descending) =>
        descending ? query.ThenByDescending(key) : query.ThenBy(key);
}
