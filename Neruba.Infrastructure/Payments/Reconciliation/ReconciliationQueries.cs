using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Payments.Reconciliation;

/// <summary>The mismatch queue, newest first, filtered by status and kind (and by run for a run's page); also for the API (billing:read).</summary>
public sealed class ListMismatches : UseCase<ListMismatches.Request, PageOf<MismatchView>>
{
    public sealed record Request(MismatchStatus? Status = null, MismatchKind? Kind = null, Guid? RunId = null, int Page = 0, int PageSize = 25);

    public override AccessRule Access { get; } = new(Permission.ViewConsole, ApiScopes.BillingRead);

    public override Task<UseCaseResult<PageOf<MismatchView>>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken) =>
        ListAsync(context, request, cancellationToken);

    private static async Task<UseCaseResult<PageOf<MismatchView>>> ListAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var query = context.Db.ReconciliationMismatches.AsNoTracking().Where(m => m.ProjectId == context.ProjectId);
        if (request.Status is { } status)
        {
            query = query.Where(m => m.Status == status);
        }

        if (request.Kind is { } kind)
        {
            query = query.Where(m => m.Kind == kind);
        }

        if (request.RunId is { } runId)
        {
            query = query.Where(m => m.FirstRunId == runId || m.LastRunId == runId);
        }

        var page = await query.PageAsync(q => q.OrderByDescending(m => m.FirstSeenAt).ThenBy(m => m.SourceId), request.Page, request.PageSize,
            MismatchView.Select, cancellationToken);
        return UseCaseResult<PageOf<MismatchView>>.Ok(page);
    }
}

/// <summary>One mismatch with both sides, for its detail.</summary>
public sealed class GetMismatch : UseCase<GetMismatch.Request, MismatchView>
{
    public sealed record Request(Guid MismatchId);

    public override AccessRule Access { get; } = new(Permission.ViewConsole);

    public override async Task<UseCaseResult<MismatchView>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken) =>
        await context.Db.ReconciliationMismatches.AsNoTracking().Where(m => m.Id == request.MismatchId && m.ProjectId == context.ProjectId)
            .Select(MismatchView.Select).SingleOrDefaultAsync(cancellationToken) is { } view
            ? UseCaseResult<MismatchView>.Ok(view)
            : UseCaseResult<MismatchView>.NotFound("That mismatch does not exist in this project.");
}

/// <summary>The project's reconciliation runs, newest first.</summary>
public sealed class ListReconciliationRuns : UseCase<ListReconciliationRuns.Request, PageOf<ReconciliationRunView>>
{
    public sealed record Request(int Page = 0, int PageSize = 20);

    public override AccessRule Access { get; } = new(Permission.ViewConsole);

    public override async Task<UseCaseResult<PageOf<ReconciliationRunView>>> HandleAsync(UseCaseContext context, Request request,
        CancellationToken cancellationToken)
    {
        var records = await context.Db.ReconciliationRuns.AsNoTracking().Where(r => r.ProjectId == context.ProjectId)
            .PageAsync(q => q.OrderByDescending(r => r.CreatedAt), request.Page, request.PageSize, r => r, cancellationToken);
        return UseCaseResult<PageOf<ReconciliationRunView>>.Ok(new PageOf<ReconciliationRunView>(
            [.. records.Items.Select(ReconciliationRunView.Of)], records.Total, records.Page, records.PageSize));
    }
}

/// <summary>One run, for its live page.</summary>
public sealed class GetReconciliationRun : UseCase<GetReconciliationRun.Request, ReconciliationRunView>
{
    public sealed record Request(Guid RunId);

    public override AccessRule Access { get; } = new(Permission.ViewConsole);

    public override async Task<UseCaseResult<ReconciliationRunView>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken) =>
        await context.Db.ReconciliationRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == request.RunId && r.ProjectId == context.ProjectId,
            cancellationToken) is { } run
            ? UseCaseResult<ReconciliationRunView>.Ok(ReconciliationRunView.Of(run))
            : UseCaseResult<ReconciliationRunView>.NotFound("That reconciliation run does not exist in this project.");
}
