using Microsoft.EntityFrameworkCore;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Infrastructure.Metering;

/// <summary>
/// Late events, decided against what the finalized invoices counted (<see cref="UsageCutoffRecord"/>), never
/// against the clock: an event of a finalized customer and month is late exactly when its id is above that
/// month's watermark. Computed when read, so no flag can disagree with the invoices.
/// </summary>
public static class LateUsage
{
    /// <summary>The project's late events per month, newest month first.</summary>
    public static async Task<IReadOnlyList<LateBacklogRow>> BacklogAsync(NerubaDbContext db, Guid projectId, CancellationToken cancellationToken)
    {
        var rows = await BacklogQuery(db, projectId).ToListAsync(cancellationToken);
        return rows.OrderByDescending(r => r.PeriodStart).ToList();
    }

    /// <summary>Driven by the cutoffs (one per invoiced customer and month), each seeking the (customer, month) event index above its watermark.</summary>
    internal static IQueryable<LateBacklogRow> BacklogQuery(NerubaDbContext db, Guid projectId) =>
        from c in db.UsageCutoffs
        where c.ProjectId == projectId
        join e in db.UsageEvents on new { c.CustomerId, c.PeriodStart } equals new { e.CustomerId, e.PeriodStart }
        where e.Id > c.EventWatermark
        group e by e.PeriodStart into g
        select new LateBacklogRow(g.Key, g.Count(), g.Select(e => e.CustomerId).Distinct().Count(), g.Max(e => e.ReceivedAt));

    /// <summary>A customer's invoiced months and their watermarks.</summary>
    public static async Task<Dictionary<DateTimeOffset, long>> CutoffsAsync(NerubaDbContext db, Guid customerId, CancellationToken cancellationToken) =>
        await db.UsageCutoffs.AsNoTracking().Where(c => c.CustomerId == customerId).ToDictionaryAsync(c => c.PeriodStart, c => c.EventWatermark, cancellationToken);

    /// <summary>Which of these customers' months are already invoiced: a new event for one of them is late the moment it is stored.</summary>
    public static async Task<HashSet<(Guid Customer, DateTimeOffset Period)>> InvoicedAsync(NerubaDbContext db, Guid projectId, IReadOnlyCollection<Guid> customerIds,
        DateTimeOffset before, CancellationToken cancellationToken)
    {
        var invoiced = new HashSet<(Guid, DateTimeOffset)>();
        foreach (var chunk in customerIds.Chunk(500))
        {
            var rows = await InvoicedQuery(db, projectId, chunk, before).ToListAsync(cancellationToken);
            invoiced.UnionWith(rows.Select(r => (r.CustomerId, r.PeriodStart)));
        }

        return invoiced;
    }

    internal static IQueryable<UsageCutoffRecord> InvoicedQuery(NerubaDbContext db, Guid projectId, IReadOnlyCollection<Guid> customerIds, DateTimeOffset before) =>
        db.UsageCutoffs.AsNoTracking().Where(c => c.ProjectId == projectId && customerIds.Contains(c.CustomerId) && c.PeriodStart < before);
}
