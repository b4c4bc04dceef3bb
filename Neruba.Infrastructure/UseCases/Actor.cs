using Neruba.Domain.Audit;

namespace Neruba.Infrastructure.UseCases;

/// <summary>
/// Who is acting, and in which project: a signed-in person (whose role is read fresh from the
/// database on every action) or an API key (whose scopes were checked when the request came in).
/// </summary>
/// <param name="OwnerId">For an API key: the person who created it.</param>
public sealed record Actor(ActorKind Kind, string Id, string Name, Guid ProjectId, IReadOnlySet<string> Scopes, string? OwnerId = null)
{
    /// <summary>
    /// The person accountable for the action: the signed-in person, or the owner of the API key. Four-eyes rules
    /// compare this, so one person cannot request with a key and approve in the console.
    /// </summary>
    public string PersonId => Kind == ActorKind.ApiKey ? OwnerId ?? Id : Id;

    public static Actor Person(string userId, string name, Guid projectId) =>
        new(ActorKind.User, userId, name, projectId, new HashSet<string>());

    public static Actor Key(Guid keyId, string name, Guid projectId, IEnumerable<string> scopes, string? ownerId = null) =>
        new(ActorKind.ApiKey, keyId.ToString(), name, projectId, scopes.ToHashSet(StringComparer.Ordinal), ownerId);
}
