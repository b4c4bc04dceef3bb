using Microsoft.EntityFrameworkCore;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Infrastructure.Access.ApiKeys;

public enum ApiKeyCheck
{
    Valid,
    Unknown,
    Revoked,
    Expired,
}

public sealed record AuthenticatedKey(Guid KeyId, string Name, string Prefix, Guid ProjectId, IReadOnlyList<string> Scopes);

/// <summary>
/// Recognises the secret presented with an API request: by its hash, never by the secret itself.
/// The key is returned for revoked and expired keys too, so the refusal can be audited in its project.
/// </summary>
public sealed class ApiKeyAuthenticator(IDbContextFactory<NerubaDbContext> dbFactory, TimeProvider clock)
{
    public async Task<(ApiKeyCheck Check, AuthenticatedKey? Key)> AuthenticateAsync(string presentedSecret, CancellationToken cancellationToken)
    {
        if (!ApiKeySecrets.LooksLikeSecret(presentedSecret))
        {
            return (ApiKeyCheck.Unknown, null);
        }

        var hash = ApiKeySecrets.Hash(presentedSecret);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.SecretHash == hash, cancellationToken);
        if (key is null)
        {
            return (ApiKeyCheck.Unknown, null);
        }

        var now = clock.GetUtcNow();
        var known = new AuthenticatedKey(key.Id, key.Name, key.Prefix, key.ProjectId, key.ScopeList);
        if (key.IsRevoked)
        {
            return (ApiKeyCheck.Revoked, known);
        }

        if (key.IsExpired(now))
        {
            return (ApiKeyCheck.Expired, known);
        }

        if (key.MarkUsed(now))
        {
            await db.SaveChangesAsync(cancellationToken);
        }

        return (ApiKeyCheck.Valid, known);
    }
}
