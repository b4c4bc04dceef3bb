using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Infrastructure.Access.ApiKeys;

public enum ApiKeyCheck
{
    Valid,
    Unknown,
    Revoked,
    Expired,
}

/// <param name="OwnerUserId">The person who created the key: requests made with it count as theirs (four eyes holds).</param>
public sealed record AuthenticatedKey(Guid KeyId, string Name, string Prefix, Guid ProjectId, IReadOnlyList<string> Scopes, string OwnerUserId);

/// <summary>
/// Recognises the secret presented with an API request: by its hash, never by the secret itself, read from
/// the database on every request so a revocation counts from the next one. The key is returned for revoked
/// and expired keys too, so the refusal can be audited in its project.
/// </summary>
public sealed class ApiKeyAuthenticator(IDbContextFactory<NerubaDbContext> dbFactory, TimeProvider clock)
{
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    // Compiled once: this runs on every API request, including the ingest hot path.
    private static readonly Func<NerubaDbContext, string, Task<ApiKey?>> FindByHash =
        EF.CompileAsyncQuery((NerubaDbContext db, string hash) => db.ApiKeys.AsNoTracking().FirstOrDefault(k => k.SecretHash == hash));

    public async Task<(ApiKeyCheck Check, AuthenticatedKey? Key)> AuthenticateAsync(string presentedSecret, CancellationToken cancellationToken)
    {
        if (!ApiKeySecrets.LooksLikeSecret(presentedSecret))
        {
            return (ApiKeyCheck.Unknown, null);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var key = await FindByHash(db, ApiKeySecrets.Hash(presentedSecret));
        if (key is null)
        {
            return (ApiKeyCheck.Unknown, null);
        }

        var now = clock.GetUtcNow();
        var known = new AuthenticatedKey(key.Id, key.Name, key.Prefix, key.ProjectId, key.ScopeList, key.CreatedByUserId);
        if (key.IsRevoked)
        {
            return (ApiKeyCheck.Revoked, known);
        }

        if (key.IsExpired(now))
        {
            return (ApiKeyCheck.Expired, known);
        }

        if (key.LastUsedAt is not { } last || now - last >= LastUsedResolution)
        {
            // At most one write a minute per key: the ingest path must not write on every request.
            await db.ApiKeys.Where(k => k.Id == key.Id).ExecuteUpdateAsync(set => set.SetProperty(k => k.LastUsedAt, now), cancellationToken);
        }

        return (ApiKeyCheck.Valid, known);
    }
}
