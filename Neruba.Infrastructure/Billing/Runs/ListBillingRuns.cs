using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Billing.Runs;

/// <summary>The project's runs, filtered by kind and status, sorted and paged by the database; progress counted for the page at once.</summary>
public sealed class ListBillingRuns : UseCase<ListBillingRuns.Request, PageOf<BillingRunView>>
{
    public enum SortField
    {
        Started,
        Month,
    }

    public sealed record Request(BillingRunKind? Kind = null, BillingRunStatus? Status = null, int Page = 0, int PageSize = 25, SortField Sort = SortField.Started,
        bool Descending = true);

    public override AccessRule Access { get; } = new(Permission.ViewConsole, ApiScopes.BillingRead);

    public override async Task<UseCaseResult<PageOf<BillingRunView>>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var (page, size) = Paging.Normalize(request.Page, request.PageSize);
        var runs = context.Db.BillingRuns.AsNoTracking().Where(r => r.ProjectId == context.ProjectId);
        if (request.Kind is { } kind)
        {
            runs = runs.Where(r => r.Kind == kind);
        }

        if (request.Status is { } status)
        {
            runs = runs.Where(r => r.Status == status);
        }

        // The id last: a total order, so consecutive pages neither overlap nor skip runs started in the same tick.
        runs = (request.Sort, request.Descending) switch
        {
            (SortField.Month, true) => runs.OrderByDescending(r => r.PeriodStart).ThenByDescending(r => r.CreatedAt).ThenBy(r => r.Id),
            (SortField.Month, false) => runs.OrderBy(r => r.PeriodStart).ThenByDescending(r => r.CreatedAt).ThenBy(r => r.Id),
            (_, false) => runs.OrderBy(r => r.CreatedAt).ThenBy(r => r.Id),
            _ => runs.OrderByDescending(r => r.CreatedAt).ThenBy(r => r.Id),
        };

        var total = await runs.CountAsync(cancellationToken);
        var items = await runs.Skip(page * size).Take(size).ToListAsync(cancellationToken);
        return UseCaseResult<PageOf<BillingRunView>>.Ok(new PageOf<BillingRunView>(await BillingRunReads.ViewsAsync(context.Db, items, cancellationToken), total, page, size));
    }
}
