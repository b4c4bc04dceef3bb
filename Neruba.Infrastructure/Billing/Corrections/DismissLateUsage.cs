using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Infrastructure.Metering;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Billing.Corrections;

/// <summary>
/// Finance decides a month's late events are not worth correcting and says why: every late event received so far leaves the backlog
/// (events arriving later are late again). Audited with the count it dismissed.
/// </summary>
public sealed class DismissLateUsage : UseCase<DismissLateUsage.Request, int>
{
    public sealed record Request(DateOnly Month, string? Reason);

    public override AccessRule Access { get; } = new(Permission.ManageMoney);

    public override ValidationErrors Validate(Request request) =>
        new ValidationErrors().Required("reason", request.Reason, LateUsageClearanceRecord.MaxReasonLength, "A reason", multiline: true);

    public override async Task<UseCaseResult<int>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var period = new DateTimeOffset(request.Month.Year, request.Month.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var backlog = (await LateUsage.BacklogAsync(context.Db, context.ProjectId, cancellationToken)).FirstOrDefault(r => r.PeriodStart == period);
        if (backlog is null)
        {
            return UseCaseResult<int>.Conflict($"{period:yyyy-MM} has no late events to dismiss.");
        }

        var watermark = await EventWatermark.CaptureAsync(context.Db, cancellationToken);
        var customers = await context.Db.UsageCutoffs.AsNoTracking().Where(c => c.ProjectId == context.ProjectId && c.PeriodStart == period)
            .Select(c => c.CustomerId).ToListAsync(cancellationToken);
        var reason = request.Reason!.Trim();
        context.Db.LateUsageClearances.AddRange(customers.Select(customerId => new LateUsageClearanceRecord
        {
            Id = Guid.NewGuid(), ProjectId = context.ProjectId, CustomerId = customerId, PeriodStart = period, Watermark = watermark,
            Source = LateUsageClearanceSource.Dismissed, Reason = reason, ActorName = context.Actor.Name, At = context.Now,
        }));
        context.Audit("late_usage.dismissed", "period", period.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), null,
            new { backlog.LateEvents, backlog.Customers }, reason);
        return UseCaseResult<int>.Ok(backlog.LateEvents);
    }
}
