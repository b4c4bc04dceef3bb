namespace Neruba.Domain.Access;

/// <summary>
/// A project's key for the JSON API. Only a hash of the secret is kept; the secret itself is shown
/// once, when the key is created. Revoked and expired keys stay, for the audit trail.
/// </summary>
public sealed class ApiKey
{
    public const int MaxNameLength = 100;

    public Guid Id { get; private set; }
    public Guid ProjectId { get; private set; }
    public string Name { get; private set; } = "";

    /// <summary>The first characters of the secret (e.g. <c>nrb_3fA9xk2Q</c>), safe to show, so people can tell keys apart.</summary>
    public string Prefix { get; private set; } = "";

    public string SecretHash { get; private set; } = "";

    /// <summary>Space-separated scopes, e.g. <c>usage:write billing:read</c>.</summary>
    public string Scopes { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }
    public string CreatedByUserId { get; private set; } = "";
    public string CreatedByName { get; private set; } = "";
    public DateTimeOffset? ExpiresAt { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }
    public string? RevokedByName { get; private set; }
    public DateTimeOffset? LastUsedAt { get; private set; }

    private ApiKey() { }

    public ApiKey(Guid id, Guid projectId, string name, string prefix, string secretHash, IEnumerable<string> scopes,
        DateTimeOffset createdAt, string createdByUserId, string createdByName, DateTimeOffset? expiresAt)
    {
        var scopeList = scopes.Distinct(StringComparer.Ordinal).ToList();
        if (scopeList.Count == 0 || !scopeList.All(ApiScopes.IsKnown))
        {
            throw new ArgumentException("An API key needs at least one known scope.", nameof(scopes));
        }

        Id = id;
        ProjectId = projectId;
        Name = name;
        Prefix = prefix;
        SecretHash = secretHash;
        Scopes = string.Join(' ', ApiScopes.All.Where(scopeList.Contains));
        CreatedAt = createdAt;
        CreatedByUserId = createdByUserId;
        CreatedByName = createdByName;
        ExpiresAt = expiresAt;
    }

    public IReadOnlyList<string> ScopeList => Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public bool HasScope(string scope) => ScopeList.Contains(scope, StringComparer.Ordinal);

    public bool IsRevoked => RevokedAt is not null;

    public bool IsExpired(DateTimeOffset now) => ExpiresAt is { } expiry && expiry <= now;

    public bool IsUsable(DateTimeOffset now) => !IsRevoked && !IsExpired(now);

    public void Revoke(string byName, DateTimeOffset at)
    {
        if (RevokedAt is null)
        {
            RevokedAt = at;
            RevokedByName = byName;
        }
    }

    /// <summary>Records use at most once a minute: a key on the ingest path must not write on every request.</summary>
    public bool MarkUsed(DateTimeOffset at)
    {
        if (LastUsedAt is { } last && at - last < TimeSpan.FromMinutes(1))
        {
            return false;
        }

        LastUsedAt = at;
        return true;
    }
}
