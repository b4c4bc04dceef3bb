using Microsoft.EntityFrameworkCore;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Audit;

/// <summary>
/// The customers a page of audit rows is about: a customer target is that customer, a subscription target its customer.
/// Target ids are free text (any kind of target), so they cannot be joined to the customer key in SQL on both providers;
/// instead the page's ids are looked up together, one query per page whatever its size.
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

        // Only this project's rows, so a target id that happens to name another project's customer shows no name.
        var found = await (
                from c in context.Db.Customers.AsNoTracking()
                join s in context.Db.Subscriptions.AsNoTracking().Where(s => subscriptionIds.Contains(s.Id)) on c.Id equals s.CustomerId into subs
                from s in subs.DefaultIfEmpty()
                where c.ProjectId == context.ProjectId && (customerIds.Contains(c.Id) || (s != null && subscriptionIds.Contains(s.Id)))
                select new { c.Id, c.Name, SubscriptionId = s == null ? (Guid?)null : s.Id })
            .ToListAsync(cancellationToken);
        var byTarget = new Dictionary<(string, Guid), CustomerRef>();
        foreach (var row in found)
        {
            var customer = new CustomerRef(row.Id, row.Name);
            if (customerIds.Contains(row.Id))
            {
                byTarget[(Customer, row.Id)] = customer;
            }

            if (row.SubscriptionId is { } subscriptionId)
            {
                byTarget[(Subscription, subscriptionId)] = customer;
            }
        }

        return rows.Select(r => Guid.TryParse(r.TargetId, out var id) && byTarget.TryGetValue((r.TargetType, id), out var customer)
            ? r with { TargetCustomerId = customer.Id, TargetCustomerName = customer.Name }
            : r).ToList();
    }

    private static List<Guid> IdsOf(IReadOnlyList<AuditRow> rows, string targetType) =>
        rows.Where(r => r.TargetType == targetType && Guid.TryParse(r.TargetId, out _)).Select(r => Guid.Parse(r.TargetId!)).Distinct().ToList();
}
