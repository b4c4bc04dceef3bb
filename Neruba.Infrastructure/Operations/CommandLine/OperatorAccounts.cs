using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Domain.Audit;
using Neruba.Infrastructure.Access;
using Neruba.Infrastructure.Access.Accounts;
using Neruba.Infrastructure.Access.ApiKeys;
using Neruba.Infrastructure.Access.SystemAdmins;
using Neruba.Infrastructure.Persistence;
using Neruba.Infrastructure.Startup;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Operations.CommandLine;

/// <summary>A key made from the command line: what to print once.</summary>
public sealed record CreatedApiKey(string Project, string Name, string Prefix, IReadOnlyList<string> Scopes, string Owner, DateTimeOffset? ExpiresAt, string Secret);

/// <summary>
/// Access from the operator command line: a new administrator, or an API key, without clicking. Each lands in the audit log as done from
/// the command line, in the same save as the change.
/// </summary>
public sealed class OperatorAccounts(NerubaDbContext db, UserManager<NerubaUser> users, RoleManager<IdentityRole> roles, UseCaseRunner runner,
    CreateApiKey createApiKey, TimeProvider clock)
{
    public const string ActorName = "command line";

    /// <summary>Creates a system administrator who is also Admin of <paramref name="project"/>; returns the one-time password (printed once).</summary>
    public async Task<(string Project, string Password)> CreateAdminAsync(string email, string? project, CancellationToken cancellationToken)
    {
        var problems = new ValidationErrors().Email("email", email, required: true);
        if (!problems.IsEmpty)
        {
            throw new OperatorCommandException(problems.Summary);
        }

        email = email.Trim();
        if (await users.FindByEmailAsync(email) is not null)
        {
            throw new OperatorCommandException($"A user with the email {email} already exists; give them a role under Settings → Members instead.");
        }

        var target = await FindProjectAsync(project, cancellationToken);
        var password = BootstrapAdmin.GeneratePassword();
        var user = new NerubaUser { UserName = email, Email = email, EmailConfirmed = true, CreatedAt = clock.GetUtcNow() };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        Check(await users.CreateAsync(user, password), "create the user");
        Check(await users.RequirePasswordChangeAsync(user), "require a new password at first sign-in");
        if (!await roles.RoleExistsAsync(SystemAdminRole.RoleName))
        {
            Check(await roles.CreateAsync(new IdentityRole(SystemAdminRole.RoleName)), "create the system administrator role");
        }

        Check(await users.AddToRoleAsync(user, SystemAdminRole.RoleName), "make the user a system administrator");
        var now = clock.GetUtcNow();
        db.ProjectMemberships.Add(new ProjectMembership(Guid.NewGuid(), target.Id, user.Id, ProjectRole.Admin, now));
        var correlation = Guid.NewGuid().ToString("N");
        db.AuditEntries.Add(new AuditEntry(Guid.NewGuid(), null, now, ActorKind.System, ActorName, ActorName, "system_admin.granted", AuditOutcome.Succeeded,
            "user", user.Id, null, JsonSerializer.Serialize(new { email }), "created with create-admin", correlation));
        db.AuditEntries.Add(new AuditEntry(Guid.NewGuid(), target.Id, now, ActorKind.System, ActorName, ActorName, "member.added", AuditOutcome.Succeeded,
            "user", user.Id, null, JsonSerializer.Serialize(new { email, role = "Admin" }), "created with create-admin", correlation));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (target.Name, password);
    }

    /// <summary>
    /// Creates an API key through the same use case as Settings → API keys, owned by <paramref name="asEmail"/> (an Admin of the project) or else
    /// the project's longest-standing Admin: a key always belongs to a person, so four-eyes rules keep holding for what it does.
    /// </summary>
    public async Task<CreatedApiKey> CreateApiKeyAsync(string? project, IReadOnlyList<string> scopes, string? name, int? expiresInDays, string? asEmail,
        CancellationToken cancellationToken)
    {
        var target = await FindProjectAsync(project ?? throw new OperatorCommandException("Name the project with --project <name or slug>."), cancellationToken);
        var admins = from m in db.ProjectMemberships
                     join u in db.Users on m.UserId equals u.Id
                     where m.ProjectId == target.Id && m.Role == ProjectRole.Admin
                     orderby m.CreatedAt
                     select new { u.Id, u.Email, u.NormalizedEmail };
        var normalized = asEmail?.Trim().ToUpperInvariant();
        var owner = asEmail is null
            ? await admins.FirstOrDefaultAsync(cancellationToken) ?? throw new OperatorCommandException($"Project {target.Name} has no Admin to own the key.")
            : await admins.FirstOrDefaultAsync(a => a.NormalizedEmail == normalized, cancellationToken)
                ?? throw new OperatorCommandException($"{asEmail} is not an Admin of project {target.Name}; only an Admin may own a key made from the command line.");
        if (expiresInDays is < 1 or > 3650)
        {
            throw new OperatorCommandException("--expires takes a number of days from 1 to 3650.");
        }

        var actor = Actor.Person(owner.Id, $"{owner.Email} ({ActorName})", target.Id);
        var expiresAt = expiresInDays is { } days ? clock.GetUtcNow().AddDays(days) : (DateTimeOffset?)null;
        var result = await runner.RunAsync(createApiKey, actor, new CreateApiKey.Request(name ?? $"Command line {clock.GetUtcNow():yyyy-MM-dd HH:mm}", scopes, expiresAt),
            cancellationToken);
        if (!result.Succeeded)
        {
            throw new OperatorCommandException(result.Errors.Count > 0 ? string.Join(" ", result.Errors.SelectMany(e => e.Value)) : result.Message ?? "The key was refused.");
        }

        var key = result.Value!;
        return new CreatedApiKey(target.Name, key.Key.Name, key.Key.Prefix, key.Key.Scopes, owner.Email ?? owner.Id, key.Key.ExpiresAt, key.Secret);
    }

    /// <summary>A project by slug or name (either, case-insensitively); with none named, the only project there is.</summary>
    public async Task<Project> FindProjectAsync(string? nameOrSlug, CancellationToken cancellationToken)
    {
        var projects = await db.Projects.AsNoTracking().ToListAsync(cancellationToken);
        var names = string.Join(", ", projects.Select(p => $"{p.Name} ({p.Slug})"));
        if (string.IsNullOrWhiteSpace(nameOrSlug))
        {
            return projects.Count == 1 ? projects[0]
                : throw new OperatorCommandException(projects.Count == 0 ? "There is no project yet; start the console once (it creates one) or run seed-demo."
                    : $"Name the project with --project; there are: {names}.");
        }

        var wanted = nameOrSlug.Trim();
        return projects.FirstOrDefault(p => string.Equals(p.Slug, wanted, StringComparison.OrdinalIgnoreCase))
            ?? projects.FirstOrDefault(p => string.Equals(p.Name, wanted, StringComparison.OrdinalIgnoreCase))
            ?? throw new OperatorCommandException($"There is no project '{wanted}'; there are: {(names.Length == 0 ? "none" : names)}.");
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new OperatorCommandException($"Could not {what}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
        }
    }
}
