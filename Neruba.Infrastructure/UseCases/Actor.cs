using Neruba.Domain.Audit;

namespace Neruba.Infrastructure.UseCases;

/// <summary>
/// Who is acting, and in which project: a signed-in person (whose role is read fresh from the
/// database on every action) or an API key (whose scopes were checked when the request came in).
/// </summary>
public sealed record Actor(ActorKind Kind, string Id, string Name, Guid ProjectId, IReadOnlySet<string> Scopes)
{
    public static Actor Person(string userId, string name, Guid projectId) =>
        new(ActorKind.User, userId, name, projectId, new HashSet<string>());

    public static Actor Key(Guid keyId, string name, Guid projectId, IEnumerable<string> scopes) =>
        new(ActorKind.ApiKey, keyId.ToString(), name, projectId, scopes.ToHashSet(StringComparer.Ordinal));
}
