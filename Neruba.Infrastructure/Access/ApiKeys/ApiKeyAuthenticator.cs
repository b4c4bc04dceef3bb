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

/// <summary>Recognises the secret presented with an API request: by its hash, never by the secret itself.</summary>
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
        if (key.IsRevoked)
        {
            return (ApiKeyCheck.Revoked, null);
        }

        if (key.IsExpired(now))
        {
            return (ApiKeyCheck.Expired, null);
        }

        if (key.MarkUsed(now))
        {
            await db.SaveChangesAsync(cancellationToken);
        }

        return (ApiKeyCheck.Valid, new AuthenticatedKey(key.Id, key.Name, key.Prefix, key.ProjectId, key.ScopeList));
    }
}
