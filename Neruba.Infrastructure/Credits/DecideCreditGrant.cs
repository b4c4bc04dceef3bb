using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Credits;

/// <summary>A Finance member approves (posts) or rejects a waiting credit grant, with a comment. Never their own.</summary>
public sealed class DecideCreditGrant : UseCase<DecideCreditGrant.Request, CreditGrantView>
{
    public sealed record Request(Guid GrantId, bool Approve, string? Comment);

    public override AccessRule Access { get; } = new(Permission.ManageMoney);

    public override ValidationErrors Validate(Request request) =>
        new ValidationErrors().Required("comment", request.Comment, RequestCreditGrant.MaxNoteLength, "A comment", multiline: true);

    public override async Task<UseCaseResult<CreditGrantView>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var grant = await context.Db.CreditGrants.FirstOrDefaultAsync(g => g.Id == request.GrantId && g.ProjectId == context.ProjectId, cancellationToken);
        if (grant is null)
        {
            return UseCaseResult<CreditGrantView>.NotFound("That credit grant does not exist in this project.");
        }

        if (grant.Status != CreditGrantStatus.PendingApproval)
        {
            return UseCaseResult<CreditGrantView>.Conflict($"This grant was already {grant.Status.ToString().ToLowerInvariant()} by {grant.DecidedByName ?? "someone"}.");
        }

        // Requested in the console or with one of their API keys: either way it is theirs, and another person decides.
        if (grant.RequestedById == context.Actor.PersonId)
        {
            return UseCaseResult<CreditGrantView>.Forbidden("You requested this grant (in the console or with your API key), so you cannot decide it: "
                + "another Finance member must approve or reject it.");
        }

        var before = CreditGrantView.From(grant, "").ForAudit();
        var comment = request.Comment!.Trim();
        if (request.Approve)
        {
            grant.Approve(context.Actor.PersonId, context.Actor.Name, comment, context.Now);
            await GrantPosting.PostAsync(context, grant, cancellationToken);
        }
        else
        {
            grant.Reject(context.Actor.PersonId, context.Actor.Name, comment, context.Now);
        }

        var customerName = await context.Db.Customers.Where(c => c.Id == grant.CustomerId).Select(c => c.Name).SingleAsync(cancellationToken);
        var view = CreditGrantView.From(grant, customerName);
        context.Audit(request.Approve ? "credit.approved" : "credit.rejected", "customer", grant.CustomerId.ToString(), before, view.ForAudit(), comment);
        return UseCaseResult<CreditGrantView>.Ok(view);
    }
}
