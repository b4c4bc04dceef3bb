using Microsoft.EntityFrameworkCore;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Infrastructure.Metering;

/// <summary>A customer's invoiced month: its watermark and where its usage is billable (no windows recorded: all of it, for cutoffs older than windows).</summary>
public sealed record UsageCutoffView(long Watermark, bool HasWindows, IReadOnlyList<UsageCutoffWindowRecord> Windows)
{
    /// <summary>Whether rating counts an event like this one (by metric and time), whatever its id.</summary>
    public bool IsBillable(Guid metricId, DateTimeOffset occurredAt) =>
        !HasWindows || Windows.Any(w => w.MetricId == metricId && occurredAt >= w.From && occurredAt < w.To);

    public bool IsLate(long id, Guid metricId, DateTimeOffset occurredAt) => id > Watermark && IsBillable(metricId, occurredAt);
}

/// <summary>
/// Late events, decided against what the finalized invoices counted (<see cref="UsageCutoffRecord"/>), never
/// against the clock: a billable event of a finalized customer and month is late exactly when its id is above
/// that month's watermark. Computed when read, so no flag can disagree with the invoices.
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
            && !db.LateUsageClearances.Any(x => x.CustomerId == c.CustomerId && x.PeriodStart == c.PeriodStart && x.Watermark >= e.Id)
            && (!c.HasWindows || db.UsageCutoffWindows.Any(w => w.CutoffId == c.Id && w.MetricId == e.MetricId && e.OccurredAt >= w.From && e.OccurredAt < w.To))
        group e by e.PeriodStart into g
        select new LateBacklogRow(g.Key, g.Count(), g.Select(e => e.CustomerId).Distinct().Count(), g.Max(e => e.ReceivedAt));

    /// <summary>A customer's invoiced months.</summary>
    public static async Task<Dictionary<DateTimeOffset, UsageCutoffView>> CutoffsAsync(NerubaDbContext db, Guid customerId, CancellationToken cancellationToken) =>
        (await ViewsAsync(db, db.UsageCutoffs.AsNoTracking().Where(c => c.CustomerId == customerId), cancellationToken)).ToDictionary(c => c.Key.Period, c => c.Value);

    /// <summary>Which of these customers' months are already invoiced: a billable event for one of them is late the moment it is stored.</summary>
    public static async Task<Dictionary<(Guid Customer, DateTimeOffset Period), UsageCutoffView>> InvoicedAsync(NerubaDbContext db, Guid projectId,
        IReadOnlyCollection<Guid> customerIds, DateTimeOffset before, CancellationToken cancellationToken)
    {
        var invoiced = new Dictionary<(Guid, DateTimeOffset), UsageCutoffView>();
        foreach (var chunk in customerIds.Chunk(500))
        {
            foreach (var (key, view) in await ViewsAsync(db, InvoicedQuery(db, projectId, chunk, before), cancellationToken))
            {
                invoiced[key] = view;
            }
        }

        return invoiced;
    }

    internal static IQueryable<UsageCutoffRecord> InvoicedQuery(NerubaDbContext db, Guid projectId, IReadOnlyCollection<Guid> customerIds, DateTimeOffset before) =>
        db.UsageCutoffs.AsNoTracking().Where(c => c.ProjectId == projectId && customerIds.Contains(c.CustomerId) && c.PeriodStart < before);

    private static async Task<Dictionary<(Guid Customer, DateTimeOffset Period), UsageCutoffView>> ViewsAsync(NerubaDbContext db, IQueryable<UsageCutoffRecord> cutoffs,
        CancellationToken cancellationToken)
    {
        var rows = await cutoffs.ToListAsync(cancellationToken);
        var ids = rows.Select(c => c.Id).ToList();
        var windows = (await db.UsageCutoffWindows.AsNoTracking().Where(w => ids.Contains(w.CutoffId)).ToListAsync(cancellationToken)).ToLookup(w => w.CutoffId);

        // A month reviewed since it was invoiced (a committed rerun, a reissue, a dismissal) is late only above what was reviewed.
        var customers = rows.Select(c => c.CustomerId).Distinct().ToList();
        var cleared = new Dictionary<(Guid, DateTimeOffset), long>();
        foreach (var chunk in customers.Chunk(500))
        {
            foreach (var x in await db.LateUsageClearances.AsNoTracking().Where(x => chunk.Contains(x.CustomerId))
                         .GroupBy(x => new { x.CustomerId, x.PeriodStart }).Select(g => new { g.Key.CustomerId, g.Key.PeriodStart, Watermark = g.Max(x => x.Watermark) })
                         .ToListAsync(cancellationToken))
            {
                cleared[(x.CustomerId, x.PeriodStart)] = x.Watermark;
            }
        }

        return rows.ToDictionary(c => (c.CustomerId, c.PeriodStart), c => new UsageCutoffView(
            Math.Max(c.EventWatermark, cleared.GetValueOrDefault((c.CustomerId, c.PeriodStart))), c.HasWindows, windows[c.Id].ToList()));
    }
}
