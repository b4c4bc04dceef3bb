using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Credits;

/// <summary>
/// Credit grants of the current project: the approvals queue and the decisions made. Filtered by status and customer
/// (name or external id), sorted and paged in the database; newest request first unless asked otherwise.
/// </summary>
public sealed class ListCreditGrants : UseCase<ListCreditGrants.Request, PageOf<CreditGrantView>>
{
    public enum SortField
    {
        RequestedAt,
        Customer,
        Amount,
        Status,
        DecidedAt,
    }

    public sealed record Request(CreditGrantStatus? Status, int Page = 0, int PageSize = 25, string? Customer = null,
        SortField Sort = SortField.RequestedAt, bool Descending = true);

    public override AccessRule Access { get; } = new(Permission.ViewConsole, ApiScopes.CreditsRead);

    public override async Task<UseCaseResult<PageOf<CreditGrantView>>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var query = from grant in context.Db.CreditGrants.AsNoTracking()
                    join customer in context.Db.Customers.AsNoTracking() on grant.CustomerId equals customer.Id
                    where grant.ProjectId == context.ProjectId
                    select new Row { Grant = grant, Name = customer.Name, ExternalId = customer.ExternalId };
        if (request.Status is { } status)
        {
            query = query.Where(x => x.Grant.Status == status);
        }

        if (!string.IsNullOrWhiteSpace(request.Customer))
        {
            var pattern = Paging.LikePattern(request.Customer);
            query = query.Where(x => EF.Functions.Like(x.Name, pattern, "\\") || EF.Functions.Like(x.ExternalId, pattern, "\\"));
        }

        var rows = await query.PageAsync(q => Sorted(q, request.Sort, request.Descending), request.Page, request.PageSize, r => new { r.Grant, r.Name }, cancellationToken);
        var items = rows.Items.Select(r => CreditGrantView.From(r.Grant, r.Name)).ToList();
        return UseCaseResult<PageOf<CreditGrantView>>.Ok(new PageOf<CreditGrantView>(items, rows.Total, rows.Page, rows.PageSize));
    }

    // Ties fall back to the request time, then the id, so pages never overlap. Amounts sort by minor units whatever the currency.
    private static IQueryable<Row> Sorted(IQueryable<Row> query, SortField sort, bool descending) => sort switch
    {
        SortField.Customer => query.OrderBy(x => x.Name, descending).ThenByDescending(x => x.Grant.RequestedAt).ThenBy(x => x.Grant.Id),
        SortField.Amount => query.OrderBy(x => x.Grant.Amount, descending).ThenByDescending(x => x.Grant.RequestedAt).ThenBy(x => x.Grant.Id),
        SortField.Status => query.OrderBy(x => x.Grant.Status, descending).ThenByDescending(x => x.Grant.RequestedAt).ThenBy(x => x.Grant.Id),
        SortField.DecidedAt => query.OrderBy(x => x.Grant.DecidedAt, descending).ThenByDescending(x => x.Grant.RequestedAt).ThenBy(x => x.Grant.Id),
        _ => query.OrderBy(x => x.Grant.RequestedAt, descending).ThenBy(x => x.Grant.Id),
    };

    private sealed class Row
    {
        public required CreditGrant Grant { get; init; }

        public required string Name { get; init; }

        public required string ExternalId { get; init; }
    }
}
