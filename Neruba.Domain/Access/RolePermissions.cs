namespace Neruba.Domain.Access;

/// <summary>The single table that says which role holds which permission.</summary>
public static class RolePermissions
{
    private static readonly Dictionary<ProjectRole, IReadOnlySet<Permission>> Table =
        new Dictionary<ProjectRole, IReadOnlySet<Permission>>
        {
            [ProjectRole.Viewer] = new HashSet<Permission> { Permission.ViewConsole },
            [ProjectRole.Support] = new HashSet<Permission> { Permission.ViewConsole, Permission.ManageCustomers },
            [ProjectRole.Finance] = new HashSet<Permission>
            {
                Permission.ViewConsole, Permission.ManageCustomers, Permission.ManageMoney,
            },
            [ProjectRole.Operator] = new HashSet<Permission>
            {
                Permission.ViewConsole, Permission.ManageCustomers, Permission.RunJobs,
            },
            [ProjectRole.Admin] = Enum.GetValues<Permission>().ToHashSet(),
        };

    public static bool Allows(ProjectRole role, Permission permission) =>
        Table.TryGetValue(role, out var permissions) && permissions.Contains(permission);

    public static IReadOnlySet<Permission> Of(ProjectRole role) =>
        Table.TryGetValue(role, out var permissions) ? permissions : new HashSet<Permission>();
}
