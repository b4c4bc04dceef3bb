using Microsoft.EntityFrameworkCore;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Audit;

/// <summary>
/// The customers a page of audit rows is about: a customer target is that customer, a subscription target its customer.
/// Target ids are free text (any kind of target), so they cannot be joined to the customer key in SQL on both providers;
/// instead the page's ids are looked up together, at most two queries per page whatever its size.
/// </summary>
internal static class AuditTargets
{
    public const string Customer = "customer";
    public const string Subscription = "subscription";

    private sealed record CustomerRef(Guid Id, string Name);

    /// <summary>The rows with <see cref="AuditRow.TargetCustomerId"/> and <see cref="AuditRow.TargetCustomerName"/> filled in where they apply.</summary>
    public static async Task<IReadOnlyList<AuditRow>> WithCustomersAsync(UseCaseContext context, IReadOnlyList<AuditRow> rows, CancellationToken cancellationToken)
    {
        var customerIds = IdsOf(rows, Customer);
        var subscriptionIds = IdsOf(rows, Subscription);
        if (customerIds.Count == 0 && subscriptionIds.Count == 0)
        {
            return rows;
        }

        // Seeks by key, never a walk over the project's customers: the subscriptions' customers first, then every customer at once.
        // Only this project's rows, so a target id that happens to name another project's customer shows no name.
        var subscriptions = subscriptionIds.Count == 0
            ? []
            : await context.Db.Subscriptions.AsNoTracking().Where(s => subscriptionIds.Contains(s.Id)).Select(s => new { s.Id, s.CustomerId })
                .ToListAsync(cancellationToken);
        var wanted = customerIds.Concat(subscriptions.Select(s => s.CustomerId)).Distinct().ToList();
        var customers = await context.Db.Customers.AsNoTracking().Where(c => wanted.Contains(c.Id) && c.ProjectId == context.ProjectId)
            .Select(c => new CustomerRef(c.Id, c.Name)).ToDictionaryAsync(c => c.Id, cancellationToken);
        var byTarget = new Dictionary<(string, Guid), CustomerRef>();
        foreach (var id in customerIds.Where(customers.ContainsKey))
        {
            byTarget[(Customer, id)] = customers[id];
        }

        foreach (var subscription in subscriptions.Where(s => customers.ContainsKey(s.CustomerId)))
        {
            byTarget[(Subscription, subscription.Id)] = customers[subscription.CustomerId];
        }

        return rows.Select(r => Guid.TryParse(r.TargetId, out var id) && byTarget.TryGetValue((r.TargetType, id), out var customer)
            ? r with { TargetCustomerId = customer.Id, TargetCustomerName = customer.Name }
            : r).ToList();
    }

    private static List<Guid> IdsOf(IReadOnlyList<AuditRow> rows, string targetType) =>
        rows.Where(r => r.TargetType == targetType && Guid.TryParse(r.TargetId, out _)).Select(r => Guid.Parse(r.TargetId!)).Distinct().ToList();
}
