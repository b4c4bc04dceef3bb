using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Neruba.Domain.Access;
using Neruba.Domain.Audit;
using Neruba.Infrastructure.Persistence;
using Neruba.Infrastructure.UseCases.Idempotency;

namespace Neruba.Infrastructure.UseCases;

/// <summary>A use case run under an Idempotency-Key: the fresh or replayed response, or why neither.</summary>
public sealed record IdempotentResult<T>(UseCaseResult<T> Result, StoredResponse? Response, bool Replayed);

/// <summary>
/// The one pipeline every use case runs through: access check (refusals are audited), validation, the
/// Idempotency-Key claim when there is one, the handler, and a single save that holds the change, its audit
/// records and the key's stored response. A save that lost a race to another writer runs the handler again
/// on fresh data; a change to money or access without an audit record is refused before it is saved.
/// </summary>
public sealed partial class UseCaseRunner(IDbContextFactory<NerubaDbContext> dbFactory, TimeProvider clock, IdempotencyClaims claims,
    ILogger<UseCaseRunner> logger)
{
    public const int MaxAttempts = 10;

    public async Task<UseCaseResult<TResult>> RunAsync<TRequest, TResult>(
        UseCase<TRequest, TResult> useCase, Actor actor, TRequest request, CancellationToken cancellationToken = default) =>
        (await ExecuteAsync(useCase, actor, request, null, null, cancellationToken)).Result;

    /// <summary>
    /// Runs <paramref name="useCase"/> at most once per (project, key, operation): a retry with the same request and
    /// target gets the stored response; another request under the same key is refused.
    /// </summary>
    public Task<IdempotentResult<TResult>> RunIdempotentAsync<TRequest, TResult>(UseCase<TRequest, TResult> useCase, Actor actor, TRequest request,
        string idempotencyKey, Func<TResult, StoredResponse> respond, CancellationToken cancellationToken = default)
    {
        if (useCase is not IIdempotentUseCase<TRequest>)
        {
            throw new InvalidOperationException($"{UseCaseName(useCase)} does not take an Idempotency-Key.");
        }

        return ExecuteAsync(useCase, actor, request, idempotencyKey, respond, cancellationToken);
    }

    private async Task<IdempotentResult<TResult>> ExecuteAsync<TRequest, TResult>(UseCase<TRequest, TResult> useCase, Actor actor, TRequest request,
        string? idempotencyKey, Func<TResult, StoredResponse>? respond, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var correlationId = CurrentCorrelationId();
        ProjectRole? role;
        IdempotencyRecord? claim = null;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            (role, var refusal) = await CheckAccessAsync(db, actor, useCase.Access, cancellationToken);
            if (refusal is not null)
            {
                await AuditDenialAsync(db, useCase, actor, refusal, now, correlationId, cancellationToken);
                return Plain(UseCaseResult<TResult>.Forbidden(refusal));
            }

            var errors = useCase.Validate(request);
            if (!errors.IsEmpty)
            {
                return Plain(UseCaseResult<TResult>.Invalid(errors));
            }

            if (idempotencyKey is not null && useCase is IIdempotentUseCase<TRequest> idempotent
                && await idempotent.ResolveIdempotencyScopeAsync(new UseCaseContext(db, actor, role, now, correlationId), request, cancellationToken) is { } scope)
            {
                switch (await claims.ClaimAsync(actor.ProjectId, UseCaseName(useCase), idempotencyKey, scope, cancellationToken))
                {
                    case IdempotencyClaims.Replay replay:
                        return new IdempotentResult<TResult>(UseCaseResult<TResult>.Ok(default!), replay.Response, Replayed: true);
                    case IdempotencyClaims.Refused refused:
                        return Plain(UseCaseResult<TResult>.Conflict(refused.Message));
                    case IdempotencyClaims.Claimed claimed:
                        claim = claimed.Record;
                        break;
                }
            }
        }

        var committed = false;
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
                var context = new UseCaseContext(db, actor, role, now, correlationId);
                var result = await useCase.HandleAsync(context, request, cancellationToken);
                if (result.Status == UseCaseStatus.Forbidden)
                {
                    // A rule only the handler can check refused the person (e.g. approving their own grant): audit it, change nothing else.
                    db.ChangeTracker.Clear();
                    await AuditDenialAsync(db, useCase, actor, result.Message, now, correlationId, cancellationToken);
                    return Plain(result);
                }

                if (!result.Succeeded)
                {
                    return Plain(result);
                }

                AuditRequirement.Check(db.ChangeTracker, UseCaseName(useCase));
                var response = claim is null || respond is null ? null : respond(result.Value!);
                if (response is not null)
                {
                    IdempotencyClaims.Complete(db, claim!, response, now);
                }

                try
                {
                    await db.SaveChangesAsync(cancellationToken);
                }
                catch (DbUpdateConcurrencyException lost) when (lost.Entries.Any(e => e.Entity is IdempotencyRecord))
                {
                    return Plain(UseCaseResult<TResult>.Conflict(
                        "This request took longer than its Idempotency-Key lease and a retry took it over. Nothing was saved by this attempt."));
                }
                catch (DbUpdateException exception) when (attempt < MaxAttempts && IsConflict(exception))
                {
                    // Another writer changed what the handler read (a version, a unique row): start again from a fresh read.
                    await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 10 * attempt)), cancellationToken);
                    continue;
                }
                catch (DbUpdateException exception) when (IsConflict(exception))
                {
                    return Plain(UseCaseResult<TResult>.Conflict("Someone else changed the same thing at the same moment. Nothing was saved; reload and try again."));
                }
                catch (DbUpdateException exception)
                {
                    // Not a race: a broken rule or a database fault. Saying "try again" would hide it; log it where it can be found.
                    LogSaveFailed(exception, UseCaseName(useCase), correlationId);
                    return Plain(UseCaseResult<TResult>.Failed(
                        $"The change could not be saved because of a database error; nothing was changed. Quote reference {correlationId} when you report it."));
                }

                committed = true;
                foreach (var action in context.Committed)
                {
                    action();
                }

                return new IdempotentResult<TResult>(result, response, Replayed: false);
            }
        }
        finally
        {
            if (claim is not null && !committed)
            {
                await claims.ReleaseAsync(claim);
            }
        }
    }

    /// <summary>Only another writer's unique row or changed version is a conflict the person can resolve by trying again.</summary>
    private static bool IsConflict(DbUpdateException exception) => exception switch
    {
        DbUpdateConcurrencyException => true,
        { InnerException: Microsoft.Data.Sqlite.SqliteException sqlite } => sqlite.SqliteExtendedErrorCode is 2067 or 1555 || sqlite.SqliteErrorCode is 5 or 6,
        { InnerException: Microsoft.Data.SqlClient.SqlException sql } => sql.Number is 2601 or 2627 or 1205,
        _ => false,
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "{UseCase} could not save its change (correlation id {CorrelationId}).")]
    private partial void LogSaveFailed(Exception exception, string useCase, string correlationId);

    public static string UseCaseName(object useCase) => useCase is IUseCase named ? named.Name : useCase.GetType().Name;

    /// <summary>Every request's trace id where there is one, so audit rows can be matched to logs.</summary>
    public static string CurrentCorrelationId() => Activity.Current?.TraceId.ToString() ?? Guid.NewGuid().ToString("N");

    private static IdempotentResult<T> Plain<T>(UseCaseResult<T> result) => new(result, null, Replayed: false);

    private static async Task AuditDenialAsync(NerubaDbContext db, object useCase, Actor actor, string? reason, DateTimeOffset now, string correlationId,
        CancellationToken cancellationToken)
    {
        db.AuditEntries.Add(UseCaseContext.CreateAuditEntry(actor, "access.denied", AuditOutcome.Denied, "use_case",
            UseCaseName(useCase), null, null, reason, now, correlationId));
        await db.SaveChangesAsync(cancellationToken);
    }

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

                if (!actor.Scopes.Contains(rule.ApiScope))
                {
                    return (null, $"This API key lacks the '{rule.ApiScope}' scope.");
                }

                // A key acts for the person who created it: it can do no more than they may do today (a demoted or removed owner's key is held back too).
                if (actor.OwnerId is { } ownerId)
                {
                    var owner = await db.ProjectMemberships.AsNoTracking()
                        .FirstOrDefaultAsync(m => m.UserId == ownerId && m.ProjectId == actor.ProjectId, cancellationToken);
                    if (owner is null || !owner.Allows(rule.Permission))
                    {
                        return (null, $"The person who created this API key no longer has {Describe(rule.Permission)} in this project, so the key cannot do this.");
                    }
                }

                return (null, null);

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
