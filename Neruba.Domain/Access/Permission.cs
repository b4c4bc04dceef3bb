namespace Neruba.Domain.Access;

/// <summary>
/// What a person may do in a project. Pages and actions ask for a permission, never for a role,
/// so the role-to-power table lives in exactly one place (<see cref="RolePermissions"/>).
/// </summary>
public enum Permission
{
    /// <summary>Read the console: customers, balances, invoices, runs, audit.</summary>
    ViewConsole,

    /// <summary>Create and edit customers, request credit grants.</summary>
    ManageCustomers,

    /// <summary>Approve credit grants and correct money (credit notes, voids).</summary>
    ManageMoney,

    /// <summary>Trigger billing runs, imports and diagnostic jobs; see the job dashboard.</summary>
    RunJobs,

    /// <summary>Manage members, API keys and project settings.</summary>
    ManageProject,
}
