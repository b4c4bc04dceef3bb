using Hangfire;
using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Payments.Webhooks;

public sealed record StripeEventSummary(Guid Id, string StripeEventId, string Type, string? ObjectId, StripeEventStatus Status, int Attempts, int Deliveries,
    DateTimeOffset StripeCreatedAt, DateTimeOffset ReceivedAt, DateTimeOffset? ProcessedAt, string? Outcome, string? LastError, string ApiVersion,
    bool ApiVersionDiffers);

public sealed record StripeEventDetail(StripeEventSummary Summary, string Payload);

/// <summary>The Webhooks page: every verified event received, newest first, filtered by status or type; an event with its payload.</summary>
public sealed class ListStripeEvents : UseCase<ListStripeEvents.Request, PageOf<StripeEventSummary>>
{
    public sealed record Request(StripeEventStatus? Status, string? Type, int Page, int PageSize);

    public override AccessRule Access { get; } = new(Permission.ViewConsole);

    public override async Task<UseCaseResult<PageOf<StripeEventSummary>>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var query = context.Db.StripeEvents.AsNoTracking().Where(e => e.ProjectId == context.ProjectId);
        if (request.Status is { } status)
        {
            query = query.Where(e => e.Status == status);
        }

        if (!string.IsNullOrWhiteSpace(request.Type))
        {
            var type = request.Type.Trim();
            query = query.Where(e => e.Type == type);
        }

        var version = Stripe.StripeConfiguration.ApiVersion;
        var page = await query.PageAsync(q => q.OrderByDescending(e => e.ReceivedAt), request.Page, request.PageSize, e => new StripeEventSummary(e.Id,
            e.StripeEventId, e.Type, e.ObjectId, e.Status, e.Attempts, e.Deliveries, e.StripeCreatedAt, e.ReceivedAt, e.ProcessedAt, e.Outcome, e.LastError,
            e.ApiVersion, e.ApiVersion != version), cancellationToken);
        return UseCaseResult<PageOf<StripeEventSummary>>.Ok(page);
    }
}

public sealed class GetStripeEvent : UseCase<GetStripeEvent.Request, StripeEventDetail>
{
    public sealed record Request(Guid Id);

    public override AccessRule Access { get; } = new(Permission.ViewConsole);

    public override async Task<UseCaseResult<StripeEventDetail>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var e = await context.Db.StripeEvents.AsNoTracking().SingleOrDefaultAsync(x => x.Id == request.Id && x.ProjectId == context.ProjectId, cancellationToken);
        return e is null
            ? UseCaseResult<StripeEventDetail>.NotFound("No such Stripe event in this project.")
            : UseCaseResult<StripeEventDetail>.Ok(new StripeEventDetail(new StripeEventSummary(e.Id, e.StripeEventId, e.Type, e.ObjectId, e.Status, e.Attempts,
                e.Deliveries, e.StripeCreatedAt, e.ReceivedAt, e.ProcessedAt, e.Outcome, e.LastError, e.ApiVersion,
                e.ApiVersion != Stripe.StripeConfiguration.ApiVersion), e.Payload));
    }
}

/// <summary>Processes a failed (or never processed) event again now; a processed one is never processed twice.</summary>
public sealed class RetryStripeEvent(IBackgroundJobClient jobs) : UseCase<RetryStripeEvent.Request, bool>
{
    public sealed record Request(Guid Id);

    public override AccessRule Access { get; } = new(Permission.ManageMoney);

    public override async Task<UseCaseResult<bool>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var e = await context.Db.StripeEvents.AsNoTracking().SingleOrDefaultAsync(x => x.Id == request.Id && x.ProjectId == context.ProjectId, cancellationToken);
        if (e is null)
        {
            return UseCaseResult<bool>.NotFound("No such Stripe event in this project.");
        }

        if (e.Status is StripeEventStatus.Processed or StripeEventStatus.Ignored)
        {
            return UseCaseResult<bool>.Conflict($"Event {e.StripeEventId} was already processed; it is never processed twice.");
        }

        context.Audit("stripe_event.retried", "stripe_event", e.StripeEventId, new { e.Status, e.Attempts }, null, e.LastError);
        var id = e.Id;
        context.AfterCommit(() => jobs.Enqueue<StripeEventProcessor>(processor => processor.ProcessAsync(id, CancellationToken.None)));
        return UseCaseResult<bool>.Ok(true);
    }
}
