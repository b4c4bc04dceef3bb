using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Infrastructure.UseCases.Idempotency;

/// <summary>What an idempotent request resolved to: its target (e.g. a customer's Neruba id) and the request in canonical form.</summary>
public sealed record IdempotencyScope(string Target, object Fingerprint);

/// <summary>The answer stored with a completed key and given back to every retry.</summary>
public sealed record StoredResponse(int StatusCode, string Json);

/// <summary>A use case that may run under an Idempotency-Key.</summary>
public interface IIdempotentUseCase<in TRequest>
{
    /// <summary>
    /// Resolves what the request acts on, so "cus_acme" and its Neruba id are the same request. Null when it names
    /// nothing (the handler then answers not found and no key is claimed).
    /// </summary>
    Task<IdempotencyScope?> ResolveIdempotencyScopeAsync(UseCaseContext context, TRequest request, CancellationToken cancellationToken);
}

/// <summary>
/// Claims, completes and releases Idempotency-Keys. A claim is a row holding a short lease; the work's own
/// save marks it completed with the response (one transaction: the work and its stored answer land together
/// or not at all). A failed attempt releases the key; a claim left by a process that died expires with its
/// lease, so the next retry runs the work (which never committed).
/// </summary>
public sealed class IdempotencyClaims(IDbContextFactory<NerubaDbContext> dbFactory, TimeProvider clock)
{
    /// <summary>How long a claim blocks retries of the same key before another request may take it over.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    /// <summary>How long a completed key keeps answering retries before the prune job removes it.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    public const int MaxKeyLength = 200;

    private static readonly JsonSerializerOptions CanonicalJson = new(JsonSerializerDefaults.Web);

    public abstract record Claim;

    public sealed record Claimed(IdempotencyRecord Record) : Claim;

    public sealed record Replay(StoredResponse Response) : Claim;

    public sealed record Refused(string Message) : Claim;

    public static string Hash(IdempotencyScope scope) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(scope.Target + "\n" + JsonSerializer.Serialize(scope.Fingerprint, CanonicalJson))));

    public async Task<Claim> ClaimAsync(Guid projectId, string operation, string key, IdempotencyScope scope, CancellationToken cancellationToken)
    {
        var hash = Hash(scope);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var now = clock.GetUtcNow();
            var record = await db.IdempotencyRecords.FirstOrDefaultAsync(r => r.ProjectId == projectId && r.Operation == operation && r.Key == key, cancellationToken);
            if (record is null)
            {
                record = new IdempotencyRecord
                {
                    Id = Guid.NewGuid(), ProjectId = projectId, Operation = operation, Key = key, CreatedAt = now,
                };
                db.IdempotencyRecords.Add(record);
            }
            else if (record.State == IdempotencyState.Completed)
            {
                return record.RequestHash == hash
                    ? new Replay(new StoredResponse(record.StatusCode, record.ResponseJson))
                    : new Refused($"Idempotency-Key '{key}' was already used for a different request (another body or target). Use a new key for a new request.");
            }
            else if (record.LeaseExpiresAt > now)
            {
                return new Refused($"A request with Idempotency-Key '{key}' is still being processed; retry in a few seconds.");
            }

            // New, or left behind by an attempt that never committed: this request holds it now.
            record.State = IdempotencyState.InProgress;
            record.ClaimToken = Guid.NewGuid();
            record.LeaseExpiresAt = now + Lease;
            record.RequestHash = hash;
            record.Target = scope.Target;
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                db.Entry(record).State = EntityState.Detached;
                return new Claimed(record);
            }
            catch (DbUpdateException)
            {
                // Another copy of the request claimed it first; read what it left.
            }
        }

        return new Refused($"A request with Idempotency-Key '{key}' is still being processed; retry in a few seconds.");
    }

    /// <summary>Marks the claim completed in the work's own save; that save fails if the lease was taken over meanwhile.</summary>
    public static void Complete(NerubaDbContext db, IdempotencyRecord claim, StoredResponse response, DateTimeOffset now)
    {
        var record = new IdempotencyRecord
        {
            Id = claim.Id, ProjectId = claim.ProjectId, Operation = claim.Operation, Key = claim.Key, Target = claim.Target, RequestHash = claim.RequestHash,
            State = claim.State, ClaimToken = claim.ClaimToken, LeaseExpiresAt = claim.LeaseExpiresAt, CreatedAt = claim.CreatedAt,
        };
        db.IdempotencyRecords.Attach(record);
        record.State = IdempotencyState.Completed;
        record.StatusCode = response.StatusCode;
        record.ResponseJson = response.Json;
        record.CompletedAt = now;
    }

    /// <summary>Frees a key whose work did not commit, so the client can correct the request and send it again.</summary>
    public async Task ReleaseAsync(IdempotencyRecord claim)
    {
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        await db.IdempotencyRecords.Where(r => r.Id == claim.Id && r.ClaimToken == claim.ClaimToken && r.State == IdempotencyState.InProgress)
            .ExecuteDeleteAsync(CancellationToken.None);
    }

    /// <summary>Removes completed keys past <see cref="Retention"/> and abandoned claims; returns how many.</summary>
    public async Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        var cutoff = clock.GetUtcNow() - Retention;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.IdempotencyRecords
            .Where(r => (r.State == IdempotencyState.Completed && r.CompletedAt < cutoff) || (r.State == IdempotencyState.InProgress && r.LeaseExpiresAt < cutoff))
            .ExecuteDeleteAsync(cancellationToken);
    }
}
