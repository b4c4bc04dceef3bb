using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Domain.Metering;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Metering;

public sealed record MetricView(Guid Id, string Code, string Name, Aggregation Aggregation, string? Property, IReadOnlyList<MetricFilter> Filters,
    bool InUse, DateTimeOffset CreatedAt)
{
    public static MetricView From(BillableMetric metric, bool inUse) =>
        new(metric.Id, metric.Code, metric.Name, metric.Aggregation, metric.Property, metric.Filters, inUse, metric.CreatedAt);

    public object ForAudit() => new { Code, Name, Aggregation = Aggregation.ToString(), Property, Filters };
}

/// <summary>
/// Creates a billable metric, or changes the one with that code. A metric that events already use keeps
/// its aggregation and property. Admins and Operators in the console; <c>setup:write</c> keys in the API.
/// </summary>
public sealed class SaveMetric(MeteringCatalog catalog) : UseCase<SaveMetric.Request, MetricView>
{
    public const int MaxFilters = 10;

    public sealed record Request(string? Code, string? Name, Aggregation? Aggregation, string? Property, IReadOnlyList<MetricFilter>? Filters);

    public override AccessRule Access { get; } = new(Permission.RunJobs, ApiScopes.SetupWrite);

    public override ValidationErrors Validate(Request request)
    {
        var errors = new ValidationErrors();
        if (!BillableMetric.IsValidCode(request.Code))
        {
            errors.Add("code", "A metric code is 1 to 50 lowercase letters, digits, '_', '.' or '-', starting with a letter (e.g. api_calls).");
        }

        errors.Required("name", request.Name, BillableMetric.MaxNameLength, "Name");
        if (request.Aggregation is not { } aggregation || !Enum.IsDefined(aggregation))
        {
            errors.Add("aggregation", "Choose an aggregation: count, sum, max, uniqueCount or latest.");
        }
        else if (aggregation != Domain.Metering.Aggregation.Count)
        {
            errors.Required("property", request.Property, BillableMetric.MaxPropertyLength, "The property to aggregate");
        }

        var filters = request.Filters ?? [];
        if (filters.Count > MaxFilters)
        {
            errors.Add("filters", $"A metric has at most {MaxFilters} filters.");
        }

        foreach (var filter in filters)
        {
            if (filter is null || string.IsNullOrWhiteSpace(filter.Property) || filter.Values is not { Count: > 0 } || !Enum.IsDefined(filter.Operator)
                || (filter.Operator == FilterOperator.Equals && filter.Values.Count != 1))
            {
                errors.Add("filters", "Each filter names a property and an operator: equals with one value, or in with one or more values.");
                break;
            }
        }

        return errors;
    }

    public override async Task<UseCaseResult<MetricView>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var filters = (request.Filters ?? []).Select(f => f with { Property = f.Property.Trim() }).ToList();
        var metric = await context.Db.BillableMetrics.FirstOrDefaultAsync(m => m.ProjectId == context.ProjectId && m.Code == request.Code, cancellationToken);
        if (metric is null)
        {
            metric = new BillableMetric(Guid.NewGuid(), context.ProjectId, request.Code!, request.Name!, request.Aggregation!.Value, request.Property, filters, context.Now);
            context.Db.BillableMetrics.Add(metric);
            context.Audit("metric.created", "metric", metric.Code, null, MetricView.From(metric, false).ForAudit());
            catalog.Forget(context.ProjectId);
            return UseCaseResult<MetricView>.Ok(MetricView.From(metric, false));
        }

        var inUse = await context.Db.UsageEvents.AnyAsync(e => e.MetricId == metric.Id, cancellationToken);
        var before = MetricView.From(metric, inUse).ForAudit();
        if (inUse && (metric.Aggregation != request.Aggregation || !string.Equals(metric.Property, request.Property?.Trim(), StringComparison.Ordinal)))
        {
            return UseCaseResult<MetricView>.Invalid("aggregation",
                $"Metric '{metric.Code}' already has events, so its aggregation ({metric.Aggregation}) and property cannot change. Create a new metric instead.");
        }

        metric.Change(request.Name!, request.Aggregation!.Value, request.Property, filters, inUse);
        context.Audit("metric.changed", "metric", metric.Code, before, MetricView.From(metric, inUse).ForAudit());
        catalog.Forget(context.ProjectId);
        return UseCaseResult<MetricView>.Ok(MetricView.From(metric, inUse));
    }
}

/// <summary>The current project's billable metrics.</summary>
public sealed class ListMetrics : UseCase<ListMetrics.Request, IReadOnlyList<MetricView>>
{
    /// <param name="WithUse">
    /// Whether to fill <see cref="MetricView.InUse"/>: it reads every event of the project (no index leads by metric), so a page that only
    /// offers metrics to pick from asks without it and every view says not in use.
    /// </param>
    public sealed record Request(bool WithUse = true);

    public override AccessRule Access { get; } = new(Permission.ViewConsole, ApiScopes.BillingRead);

    public override async Task<UseCaseResult<IReadOnlyList<MetricView>>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var metrics = await context.Db.BillableMetrics.AsNoTracking().Where(m => m.ProjectId == context.ProjectId).OrderBy(m => m.Code).ToListAsync(cancellationToken);
        var used = request.WithUse
            ? await context.Db.UsageEvents.Where(e => e.ProjectId == context.ProjectId).Select(e => e.MetricId).Distinct().ToListAsync(cancellationToken)
            : [];
        return UseCaseResult<IReadOnlyList<MetricView>>.Ok(metrics.Select(m => MetricView.From(m, used.Contains(m.Id))).ToList());
    }
}
