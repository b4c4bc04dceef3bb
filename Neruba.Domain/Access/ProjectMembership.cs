namespace Neruba.Domain.Access;

/// <summary>One person's role in one project. A person may belong to several projects.</summary>
public sealed class ProjectMembership
{
    public Guid Id { get; private set; }
    public Guid ProjectId { get; private set; }

    /// <summary>The Identity user's id (a string, as ASP.NET Core Identity keys it).</summary>
    public string UserId { get; private set; } = "";

    public ProjectRole Role { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    private ProjectMembership() { }

    public ProjectMembership(Guid id, Guid projectId, string userId, ProjectRole role, DateTimeOffset createdAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        if (!Enum.IsDefined(role))
        {
            throw new ArgumentOutOfRangeException(nameof(role), role, "Unknown project role.");
        }

        Id = id;
        ProjectId = projectId;
        UserId = userId;
        Role = role;
        CreatedAt = createdAt;
    }

    public bool Allows(Permission permission) => RolePermissions.Allows(Role, permission);

    public void ChangeRole(ProjectRole role)
    {
        if (!Enum.IsDefined(role))
        {
            throw new ArgumentOutOfRangeException(nameof(role), role, "Unknown project role.");
        }

        Role = role;
    }
}
