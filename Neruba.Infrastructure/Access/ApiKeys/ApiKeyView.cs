using Neruba.Domain.Access;

namespace Neruba.Infrastructure.Access.ApiKeys;

public sealed record ApiKeyView(Guid Id, string Name, string Prefix, IReadOnlyList<string> Scopes, string CreatedBy, DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt, string? RevokedBy)
{
    public static ApiKeyView From(ApiKey key) => new(key.Id, key.Name, key.Prefix, key.ScopeList, key.CreatedByName, key.CreatedAt,
        key.ExpiresAt, key.LastUsedAt, key.RevokedAt, key.RevokedByName);

    public string StatusAt(DateTimeOffset now) => RevokedAt is not null ? "Revoked" : ExpiresAt is { } e && e <= now ? "Expired" : "Active";

    public object ForAudit() => new { Name, Prefix, Scopes = string.Join(' ', Scopes), ExpiresAt, RevokedAt };
}
