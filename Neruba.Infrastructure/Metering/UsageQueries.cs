using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Domain.Metering;
using Neruba.Infrastructure.Customers;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Metering;

public sealed record PeriodUsage(DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd, decimal Value, int Events, int LateEvents);

public sealed record UsageExplorerView(Guid CustomerId, string CustomerName, MetricView Metric, IReadOnlyList<PeriodUsage> Periods);

public sealed record UsageEventRow(string EventId, DateTimeOffset OccurredAt, DateTimeOffset ReceivedAt, string Properties, bool IsLate);

/// <summary>A month with events its finalized invoices did not count: <see cref="Customers"/> invoices need a rerun to count them.</summary>
public sealed record LateBacklogRow(DateTimeOffset PeriodStart, int LateEvents, int Customers, DateTimeOffset LastReceivedAt);

/// <summary>
/// The usage explorer: one customer's value of one metric in the current and past periods, computed by the
/// same pure aggregation billing uses, over every stored event of each period.
/// </summary>
public sealed class ExploreUsage(TimeProvider clock) : UseCase<ExploreUsage.Request, UsageExplorerView>
{
    public sealed record Request(string? Customer, string? Metric, int Periods = 6);

    public override AccessRule Access { get; } = new(Permission.ViewConsole, ApiScopes.BillingRead);

    public override async Task<UseCaseResult<UsageExplorerView>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var customer = await CustomerRules.FindAsync(context, request.Customer, cancellationToken);
        if (customer is null)
        {
            return UseCaseResult<UsageExplorerView>.NotFound($"No customer '{request.Customer}' in this project.");
        }

        var metric = await context.Db.BillableMetrics.AsNoTracking().FirstOrDefaultAsync(m => m.ProjectId == context.ProjectId && m.Code == request.Metric, cancellationToken);
        if (metric is null)
        {
            return UseCaseResult<UsageExplorerView>.NotFound($"No metric '{request.Metric}' in this project.");
        }

        var periods = new List<PeriodUsage>();
        var cutoffs = await LateUsage.CutoffsAsync(context.Db, customer.Id, cancellationToken);
        var start = UsagePeriods.StartOf(clock.GetUtcNow());
        for (var i = 0; i < Math.Clamp(request.Periods, 1, 24); i++, start = start.AddMonths(-1))
        {
            periods.Add(await PeriodAsync(context, customer.Id, metric, start, cutoffs.TryGetValue(start, out var cutoff) ? cutoff : null, cancellationToken));
        }

        // Events in a period shown prove it; only otherwise look further (no index leads by metric, so that look may read every event).
        var inUse = periods.Any(p => p.Events > 0) || await context.Db.UsageEvents.AnyAsync(e => e.MetricId == metric.Id, cancellationToken);
        return UseCaseResult<UsageExplorerView>.Ok(new UsageExplorerView(customer.Id, customer.Name, MetricView.From(metric, inUse), periods));
    }

    /// <summary>
    /// Streams the period's events through the aggregator: memory stays flat however many events there are.
    /// Events above the period's cutoff (its invoices' watermark) are the late ones.
    /// </summary>
    private static async Task<PeriodUsage> PeriodAsync(UseCaseContext context, Guid customerId, BillableMetric metric, DateTimeOffset start, UsageCutoffView? cutoff,
        CancellationToken cancellationToken)
    {
        var end = UsagePeriods.EndOf(start);
        var accumulator = new MetricAggregator.Accumulator(metric);
        var (events, late) = (0, 0);
        var rows = context.Db.UsageEvents.AsNoTracking()
            .Where(e => e.CustomerId == customerId && e.PeriodStart == start && e.MetricId == metric.Id && e.OccurredAt >= start && e.OccurredAt < end)
            .Select(e => new { e.Id, e.EventId, e.OccurredAt, e.Properties })
            .AsAsyncEnumerable();
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            accumulator.Add(new MeteredEvent(row.EventId, row.OccurredAt, EventValidator.ReadProperties(row.Properties)));
            events++;
            late += cutoff?.IsLate(row.Id, metric.Id, row.OccurredAt) == true ? 1 : 0;
        }

        return new PeriodUsage(start, end, accumulator.Value, events, late);
    }
}

/// <summary>A customer's raw events, newest first, optionally for one metric and searched by event id.</summary>
public sealed class ListUsageEvents : UseCase<ListUsageEvents.Request, PageOf<UsageEventRow>>
{
    public sealed record Request(string? Customer, string? Metric, string? EventIdSearch, int Page, int PageSize);

    public override AccessRule Access { get; } = new(Permission.ViewConsole, ApiScopes.BillingRead);

    public override async Task<UseCaseResult<PageOf<UsageEventRow>>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var customer = await CustomerRules.FindAsync(context, request.Customer, cancellationToken);
        if (customer is null)
        {
            return UseCaseResult<PageOf<UsageEventRow>>.NotFound($"No customer '{request.Customer}' in this project.");
        }

        var query = context.Db.UsageEvents.AsNoTracking().Where(e => e.CustomerId == customer.Id);
        if (!string.IsNullOrWhiteSpace(request.Metric))
        {
            var metricId = await context.Db.BillableMetrics.Where(m => m.ProjectId == context.ProjectId && m.Code == request.Metric).Select(m => m.Id).FirstOrDefaultAsync(cancellationToken);
            query = query.Where(e => e.MetricId == metricId);
        }

        if (!string.IsNullOrWhiteSpace(request.EventIdSearch))
        {
            var pattern = Paging.LikePattern(request.EventIdSearch);
            query = query.Where(e => EF.Functions.Like(e.EventId, pattern, "\\"));
        }

        var (page, size) = Paging.Normalize(request.Page, request.PageSize);
        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id).Skip(page * size).Take(size)
            .Select(e => new { e.Id, e.EventId, e.MetricId, e.OccurredAt, e.ReceivedAt, e.Properties, e.PeriodStart }).ToListAsync(cancellationToken);
        var cutoffs = await LateUsage.CutoffsAsync(context.Db, customer.Id, cancellationToken);
        var views = rows.Select(e => new UsageEventRow(e.EventId, e.OccurredAt, e.ReceivedAt, e.Properties,
            cutoffs.TryGetValue(e.PeriodStart, out var cutoff) && cutoff.IsLate(e.Id, e.MetricId, e.OccurredAt))).ToList();
        return UseCaseResult<PageOf<UsageEventRow>>.Ok(new PageOf<UsageEventRow>(views, total, page, size));
    }
}

/// <summary>Late events per finalized month: each month listed here needs a billing rerun to count them.</summary>
public sealed class GetLateBacklog : UseCase<GetLateBacklog.Request, IReadOnlyList<LateBacklogRow>>
{
    public sealed record Request;

    public override AccessRule Access { get; } = new(Permission.ViewConsole);

    public override async Task<UseCaseResult<IReadOnlyList<LateBacklogRow>>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken) =>
        UseCaseResult<IReadOnlyList<LateBacklogRow>>.Ok(await LateUsage.BacklogAsync(context.Db, context.ProjectId, cancellationToken));
}
