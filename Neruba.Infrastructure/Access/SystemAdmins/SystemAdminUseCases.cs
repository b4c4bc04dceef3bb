using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Domain.Audit;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Access.SystemAdmins;

public sealed record SystemAdminView(string UserId, string Email);

public sealed record SystemAdminChange(DateTimeOffset At, string ActorName, string Action, string? Email);

public sealed record SystemAdminOverview(IReadOnlyList<SystemAdminView> Admins, IReadOnlyList<SystemAdminChange> RecentChanges);

/// <summary>
/// Marks a use case that only a system administrator may run, whatever their project role: the handler
/// checks the role in the database at the moment of the action, and the runner audits a refusal.
/// </summary>
public interface ISystemAdminUseCase : IUseCase;

/// <summary>Base of the system-admin use cases: refuses everyone else before the work is done.</summary>
public abstract class SystemAdminUseCase<TRequest, TResult> : UseCase<TRequest, TResult>, ISystemAdminUseCase
{
    public const string Refusal = "Only a system administrator can do this.";

    // Any signed-in member reaches the handler; the handler then asks for the system-wide role.
    public override AccessRule Access { get; } = new(Permission.ViewConsole);

    // The request is checked only once the role is: a refusal says nothing about what was asked.
    public sealed override ValidationErrors Validate(TRequest request) => ValidationErrors.None;

    public sealed override async Task<UseCaseResult<TResult>> HandleAsync(UseCaseContext context, TRequest request, CancellationToken cancellationToken)
    {
        var isSystemAdmin = context.Actor.Kind == ActorKind.User
            && await SystemAdminRole.Holders(context.Db).AnyAsync(u => u.Id == context.Actor.Id, cancellationToken);
        if (!isSystemAdmin)
        {
            return UseCaseResult<TResult>.Forbidden(Refusal);
        }

        var errors = ValidateRequest(request);
        return errors.IsEmpty ? await HandleAsSystemAdminAsync(context, request, cancellationToken) : UseCaseResult<TResult>.Invalid(errors);
    }

    protected virtual ValidationErrors ValidateRequest(TRequest request) => ValidationErrors.None;

    protected abstract Task<UseCaseResult<TResult>> HandleAsSystemAdminAsync(UseCaseContext context, TRequest request, CancellationToken cancellationToken);

    /// <summary>A system-wide audit record (no project), shown on the system administrators page.</summary>
    protected static void Audit(UseCaseContext context, string action, string userId, object? before, object? after) =>
        context.Audit(action, "system_admin", userId, before, after, projectId: Guid.Empty);
}

/// <summary>The system administrators and the latest changes to who they are.</summary>
public sealed class ListSystemAdmins : SystemAdminUseCase<ListSystemAdmins.Request, SystemAdminOverview>
{
    public const string ActionPrefix = "system_admin.";

    public sealed record Request;

    protected override async Task<UseCaseResult<SystemAdminOverview>> HandleAsSystemAdminAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var admins = await SystemAdminRole.Holders(context.Db).AsNoTracking()
            .OrderBy(u => u.Email)
            .Select(u => new SystemAdminView(u.Id, u.Email ?? u.UserName ?? u.Id))
            .ToListAsync(cancellationToken);
        var changes = await context.Db.AuditEntries.AsNoTracking()
            .Where(a => a.ProjectId == null && a.Action.StartsWith(ActionPrefix))
            .ToListAsync(cancellationToken);
        var recent = changes.OrderByDescending(a => a.At).Take(20)
            .Select(a => new SystemAdminChange(a.At, a.ActorName, a.Action, EmailOf(a.After ?? a.Before)))
            .ToList();
        return UseCaseResult<SystemAdminOverview>.Ok(new SystemAdminOverview(admins, recent));
    }

    private static string? EmailOf(string? json) =>
        json is null ? null : System.Text.Json.JsonDocument.Parse(json).RootElement.TryGetProperty("email", out var email) ? email.GetString() : null;
}

/// <summary>A system administrator makes an existing account a system administrator too.</summary>
public sealed class AddSystemAdmin(UserManager<NerubaUser> users) : SystemAdminUseCase<AddSystemAdmin.Request, SystemAdminView>
{
    public sealed record Request(string? Email);

    protected override ValidationErrors ValidateRequest(Request request) => new ValidationErrors().Email("email", request.Email, required: true);

    protected override async Task<UseCaseResult<SystemAdminView>> HandleAsSystemAdminAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var email = request.Email!.Trim();
        var normalized = users.NormalizeEmail(email);
        var user = await context.Db.Users.FirstOrDefaultAsync(u => u.NormalizedEmail == normalized, cancellationToken);
        if (user is null)
        {
            return UseCaseResult<SystemAdminView>.NotFound($"No one signs in as {email}. Add them to a project first, then make them a system administrator.");
        }

        if (await SystemAdminRole.Holders(context.Db).AnyAsync(u => u.Id == user.Id, cancellationToken))
        {
            return UseCaseResult<SystemAdminView>.Conflict($"{email} is already a system administrator.");
        }

        var role = await SystemAdminRole.RoleAsync(context.Db, cancellationToken);
        context.Db.UserRoles.Add(new IdentityUserRole<string> { UserId = user.Id, RoleId = role.Id });
        Audit(context, ListSystemAdmins.ActionPrefix + "added", user.Id, null, new { email = user.Email });
        return UseCaseResult<SystemAdminView>.Ok(new SystemAdminView(user.Id, user.Email ?? email));
    }
}

/// <summary>A system administrator takes the role from someone. The last one keeps it.</summary>
public sealed class RemoveSystemAdmin : SystemAdminUseCase<RemoveSystemAdmin.Request, SystemAdminView>
{
    public sealed record Request(string? UserId);

    protected override ValidationErrors ValidateRequest(Request request) =>
        string.IsNullOrWhiteSpace(request.UserId) ? new ValidationErrors().Add("userId", "Choose the system administrator to remove.") : ValidationErrors.None;

    protected override async Task<UseCaseResult<SystemAdminView>> HandleAsSystemAdminAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var holders = await SystemAdminRole.Holders(context.Db).Select(u => new { u.Id, u.Email }).ToListAsync(cancellationToken);
        var admin = holders.FirstOrDefault(h => h.Id == request.UserId);
        if (admin is null)
        {
            return UseCaseResult<SystemAdminView>.NotFound("That person is not a system administrator (any more).");
        }

        if (holders.Count <= 1)
        {
            return UseCaseResult<SystemAdminView>.Conflict($"{admin.Email} is the last system administrator; make someone else one first.");
        }

        var role = await SystemAdminRole.RoleAsync(context.Db, cancellationToken);
        context.Db.UserRoles.Remove(await context.Db.UserRoles.SingleAsync(r => r.UserId == admin.Id && r.RoleId == role.Id, cancellationToken));
        Audit(context, ListSystemAdmins.ActionPrefix + "removed", admin.Id, new { email = admin.Email }, null);
        return UseCaseResult<SystemAdminView>.Ok(new SystemAdminView(admin.Id, admin.Email ?? admin.Id));
    }
}
