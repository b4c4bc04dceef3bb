using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Domain.Audit;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Audit;

public sealed record AuditRow(Guid Id, DateTimeOffset At, ActorKind ActorKind, string ActorName, string Action, AuditOutcome Outcome,
    string TargetType, string? TargetId, string? Before, string? After, string? Reason, string CorrelationId);

/// <summary>Filters shared by the audit page and its CSV export. Text filters match parts; dates are inclusive UTC instants.</summary>
public sealed record AuditFilter(string? Actor, string? Action, string? Target, DateTimeOffset? From, DateTimeOffset? To);

/// <summary>The current project's audit log, newest first.</summary>
public sealed class SearchAudit : UseCase<SearchAudit.Request, PageOf<AuditRow>>
{
    public const int MaxExportRows = 100_000;

    public sealed record Request(AuditFilter? Filter, int Page, int PageSize);

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
        var rows = await query.OrderByDescending(a => a.At).ThenBy(a => a.Id).Skip(page * size).Take(size)
            .Select(a => new AuditRow(a.Id, a.At, a.ActorKind, a.ActorName, a.Action, a.Outcome, a.TargetType, a.TargetId, a.Before, a.After, a.Reason, a.CorrelationId))
            .ToListAsync(cancellationToken);
        return UseCaseResult<PageOf<AuditRow>>.Ok(new PageOf<AuditRow>(rows, total, page, size));
    }

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
