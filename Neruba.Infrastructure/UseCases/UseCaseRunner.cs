using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Domain.Audit;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Infrastructure.UseCases;

/// <summary>
/// The one pipeline every use case runs through: access check (refusals are audited), validation,
/// the handler, and a single save that holds both the change and its audit records.
/// </summary>
public sealed class UseCaseRunner(IDbContextFactory<NerubaDbContext> dbFactory, TimeProvider clock)
{
    public async Task<UseCaseResult<TResult>> RunAsync<TRequest, TResult>(
        UseCase<TRequest, TResult> useCase, Actor actor, TRequest request, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var correlationId = CurrentCorrelationId();

        var (role, refusal) = await CheckAccessAsync(db, actor, useCase.Access, cancellationToken);
        if (refusal is not null)
        {
            db.AuditEntries.Add(UseCaseContext.CreateAuditEntry(actor, "access.denied", AuditOutcome.Denied, "use_case",
                UseCaseName(useCase), null, null, refusal, now, correlationId));
            await db.SaveChangesAsync(cancellationToken);
            return UseCaseResult<TResult>.Forbidden(refusal);
        }

        var errors = useCase.Validate(request);
        if (!errors.IsEmpty)
        {
            return UseCaseResult<TResult>.Invalid(errors);
        }

        var context = new UseCaseContext(db, actor, role, now, correlationId);
        var result = await useCase.HandleAsync(context, request, cancellationToken);
        if (result.Status == UseCaseStatus.Forbidden)
        {
            // A rule only the handler can check refused the person (e.g. approving their own grant): audit it, change nothing else.
            db.ChangeTracker.Clear();
            db.AuditEntries.Add(UseCaseContext.CreateAuditEntry(actor, "access.denied", AuditOutcome.Denied, "use_case",
                UseCaseName(useCase), null, null, result.Message, now, correlationId));
            await db.SaveChangesAsync(cancellationToken);
            return result;
        }

        if (!result.Succeeded)
        {
            return result;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // A unique index caught what the handler's own check missed: someone else got there first.
            return UseCaseResult<TResult>.Conflict("Someone else changed the same thing at the same moment. Nothing was saved; reload and try again.");
        }

        foreach (var action in context.Committed)
        {
            action();
        }

        return result;
    }

    public static string UseCaseName(object useCase) => useCase.GetType().Name;

    /// <summary>Every request's trace id where there is one, so audit rows can be matched to logs.</summary>
    public static string CurrentCorrelationId() => Activity.Current?.TraceId.ToString() ?? Guid.NewGuid().ToString("N");

    private static async Task<(ProjectRole? Role, string? Refusal)> CheckAccessAsync(
        NerubaDbContext db, Actor actor, AccessRule rule, CancellationToken cancellationToken)
    {
        switch (actor.Kind)
        {
            case ActorKind.User:
                var membership = await db.ProjectMemberships.AsNoTracking()
                    .FirstOrDefaultAsync(m => m.UserId == actor.Id && m.ProjectId == actor.ProjectId, cancellationToken);
                if (membership is null)
                {
                    return (null, "You are not a member of this project.");
                }

                return membership.Allows(rule.Permission)
                    ? (membership.Role, null)
                    : (membership.Role, $"Your role ({membership.Role}) does not allow this: it needs {Describe(rule.Permission)}.");

            case ActorKind.ApiKey:
                if (rule.ApiScope is null)
                {
                    return (null, "This action is not available to API keys.");
                }

                return actor.Scopes.Contains(rule.ApiScope) ? (null, null) : (null, $"This API key lacks the '{rule.ApiScope}' scope.");

            default:
                return (null, null);
        }
    }

    private static string Describe(Permission permission) => permission switch
    {
        Permission.ViewConsole => "membership in the project",
        Permission.ManageCustomers => "the Support role or higher",
        Permission.ManageMoney => "the Finance or Admin role",
        Permission.RunJobs => "the Operator or Admin role",
        Permission.ManageProject => "the Admin role",
        _ => permission.ToString(),
    };
}
