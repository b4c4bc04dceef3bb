using Microsoft.AspNetCore.Authorization;
using Neruba.Domain.Access;

namespace Neruba.Console.Access;

/// <summary>
/// One authorization policy per <see cref="Permission"/>. Pages and endpoints name a policy;
/// the role behind it is decided by <see cref="PermissionHandler"/> from the current project membership.
/// </summary>
public static class PermissionPolicies
{
    public const string ViewConsole = nameof(Permission.ViewConsole);
    public const string ManageCustomers = nameof(Permission.ManageCustomers);
    public const string ManageMoney = nameof(Permission.ManageMoney);
    public const string RunJobs = nameof(Permission.RunJobs);
    public const string ManageProject = nameof(Permission.ManageProject);

    public static void Register(AuthorizationOptions options)
    {
        foreach (var permission in Enum.GetValues<Permission>())
        {
            options.AddPolicy(permission.ToString(), policy => policy
                .RequireAuthenticatedUser()
                .AddRequirements(new PermissionRequirement(permission)));
        }
    }
}

public sealed record PermissionRequirement(Permission Permission) : IAuthorizationRequirement;
