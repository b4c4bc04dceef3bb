using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Domain.Audit;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Audit;

/// <param name="TargetCustomerId">The customer the target belongs to (the customer itself, or a subscription's customer), when there is one.</param>
/// <param name="TargetCustomerName">That customer's name, so a reader sees who, not only an id.</param>
public sealed record AuditRow(Guid Id, DateTimeOffset At, ActorKind ActorKind, string ActorName, string Action, AuditOutcome Outcome,
    string TargetType, string? TargetId, string? Before, string? After, string? Reason, string CorrelationId,
    Guid? TargetCustomerId = null, string? TargetCustomerName = null);

/// <summary>Filters shared by the audit page and its CSV export. Text filters match parts; dates are inclusive UTC instants.</summary>
public sealed record AuditFilter(string? Actor, string? Action, string? Target, DateTimeOffset? From, DateTimeOffset? To, AuditOutcome? Outcome = null);

/// <summary>The current project's audit log, newest first unless asked otherwise; filtered, sorted and paged in the database.</summary>
public sealed class SearchAudit : UseCase<SearchAudit.Request, PageOf<AuditRow>>
{
    public const int MaxExportRows = 100_000;

    public enum SortField
    {
        At,
        Actor,
        Action,
        Target,
        Outcome,
    }

    public sealed record Request(AuditFilter? Filter, int Page, int PageSize, SortField Sort = SortField.At, bool Descending = true);

    public override AccessRule Access { get; } = new(Permission.ViewConsole);

    public override ValidationErrors Validate(Request request) =>
        request.Filter is { From: { } from, To: { } to } && from > to
            ? new ValidationErrors().Add("to", "The end of the date range is before its start.")
            : ValidationErrors.None;

    public override async Task<UseCaseResult<PageOf<AuditRow>>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        // The export asks for everything (up to a cap) in one page; the console pages normally.
        var (page, size) = request.PageSize == MaxExportRows ? (0, MaxExportRows) : Paging.Normalize(request.Page, request.PageSize);
        var query = Filter(context.Db.AuditEntries.AsNoTracking().Where(a => a.ProjectId == context.ProjectId), request.Filter);
        var total = await query.CountAsync(cancellationToken);
        var rows = await Sorted(query, request.Sort, request.Descending).Skip(page * size).Take(size)
            .Select(a => new AuditRow(a.Id, a.At, a.ActorKind, a.ActorName, a.Action, a.Outcome, a.TargetType, a.TargetId, a.Before, a.After, a.Reason, a.CorrelationId,
                null, null))
            .ToListAsync(cancellationToken);
        // The CSV export writes ids only; a page on screen names the customers.
        var named = size == MaxExportRows ? rows : await AuditTargets.WithCustomersAsync(context, rows, cancellationToken);
        return UseCaseResult<PageOf<AuditRow>>.Ok(new PageOf<AuditRow>(named, total, page, size));
    }

    // The time breaks ties (then the id), so a page boundary never splits equal keys differently between requests.
    private static IQueryable<AuditEntry> Sorted(IQueryable<AuditEntry> query, SortField sort, bool descending) => sort switch
    {
        SortField.Actor => query.OrderBy(a => a.ActorName, descending).ThenByDescending(a => a.At).ThenBy(a => a.Id),
        SortField.Action => query.OrderBy(a => a.Action, descending).ThenByDescending(a => a.At).ThenBy(a => a.Id),
        SortField.Target => query.OrderBy(a => a.TargetType, descending).ThenBy(a => a.TargetId, descending).ThenByDescending(a => a.At).ThenBy(a => a.Id),
        SortField.Outcome => query.OrderBy(a => a.Outcome, descending).ThenByDescending(a => a.At).ThenBy(a => a.Id),
        _ => query.OrderBy(a => a.At, descending).ThenBy(a => a.Id),
    };

    private static IQueryable<AuditEntry> Filter(IQueryable<AuditEntry> query, AuditFilter? filter)
    {
        if (filter is null)
        {
            return query;
        }

        if (!string.IsNullOrWhiteSpace(filter.Actor))
        {
            var pattern = Paging.LikePattern(filter.Actor);
            query = query.Where(a => EF.Functions.Like(a.ActorName, pattern, "\\") || a.ActorId == filter.Actor.Trim());
        }

        if (!string.IsNullOrWhiteSpace(filter.Action))
        {
            var pattern = Paging.LikePattern(filter.Action);
            query = query.Where(a => EF.Functions.Like(a.Action, pattern, "\\"));
        }

        if (!string.IsNullOrWhiteSpace(filter.Target))
        {
            var pattern = Paging.LikePattern(filter.Target);
            query = query.Where(a => EF.Functions.Like(a.TargetType, pattern, "\\") || (a.TargetId != null && EF.Functions.Like(a.TargetId, pattern, "\\")));
        }

        if (filter.Outcome is { } outcome)
        {
            query = query.Where(a => a.Outcome == outcome);
        }

        if (filter.From is { } from)
        {
            query = query.Where(a => a.At >= from);
        }

        if (filter.To is { } to)
        {
            query = query.Where(a => a.At <= to);
        }

        return query;
    }
}
