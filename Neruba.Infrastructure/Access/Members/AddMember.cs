using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Infrastructure.Access.Accounts;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Access.Members;

/// <summary>
/// An admin adds a person to the current project by email. Someone new gets an account with a
/// one-time password, returned here once to show to the admin and never stored in clear; they must
/// choose their own password at their first sign-in.
/// </summary>
public sealed class AddMember(UserManager<NerubaUser> users) : UseCase<AddMember.Request, AddMember.Result>
{
    public sealed record Request(string? Email, ProjectRole? Role);

    public sealed record Result(MemberView Member, string? OneTimePassword);

    public override AccessRule Access { get; } = new(Permission.ManageProject);

    public override ValidationErrors Validate(Request request)
    {
        var errors = new ValidationErrors().Email("email", request.Email, required: true);
        return request.Role is { } role && Enum.IsDefined(role) ? errors : errors.Add("role", "Choose a role: Viewer, Support, Finance, Operator or Admin.");
    }

    public override async Task<UseCaseResult<Result>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var email = request.Email!.Trim();
        var role = request.Role!.Value;
        var user = await users.FindByEmailAsync(email);
        string? oneTimePassword = null;
        if (user is null)
        {
            oneTimePassword = OneTimePasswords.Generate();
            user = new NerubaUser { UserName = email, Email = email, EmailConfirmed = true, CreatedAt = context.Now };
            var created = await users.CreateAsync(user, oneTimePassword);
            if (!created.Succeeded)
            {
                return UseCaseResult<Result>.Invalid("email", string.Join(" ", created.Errors.Select(e => e.Description)));
            }

            await users.RequirePasswordChangeAsync(user);
        }
        else if (await context.Db.ProjectMemberships.AnyAsync(m => m.ProjectId == context.ProjectId && m.UserId == user.Id, cancellationToken))
        {
            return UseCaseResult<Result>.Conflict($"{email} already has an account and is already a member of this project: nothing was added.");
        }

        var membership = new ProjectMembership(Guid.NewGuid(), context.ProjectId, user.Id, role, context.Now);
        context.Db.ProjectMemberships.Add(membership);
        context.Audit("member.added", "member", user.Id, null, new { email, role = role.ToString(), newAccount = oneTimePassword is not null });
        return UseCaseResult<Result>.Ok(new Result(new MemberView(membership.Id, user.Id, email, role, context.Now), oneTimePassword));
    }
}
