using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Ledger;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Credits;

/// <summary>Posts an accepted credit grant to the ledger: the entry, the new block, in the use case's own save.</summary>
internal static class GrantPosting
{
    public static async Task PostAsync(UseCaseContext context, CreditGrant grant, CancellationToken cancellationToken)
    {
        var wallet = await context.Db.AccountAsync(context.ProjectId, AccountKind.CustomerWallet, grant.Currency, grant.CustomerId, cancellationToken);
        var expense = await context.Db.AccountAsync(context.ProjectId, AccountKind.PromotionalExpense, grant.Currency, null, cancellationToken);
        var reason = $"{CreditReasonCodes.All.GetValueOrDefault(grant.ReasonCode, grant.ReasonCode)}: {grant.Note}".TrimEnd(' ', ':');
        if (grant.DecidedByName is not null)
        {
            // The entry is posted by the approver; the timeline should still say who asked.
            reason += $" (requested by {grant.RequestedByName}; approved: {grant.DecisionComment})";
        }

        var posting = new PostingContext(context.ProjectId, $"grant:{grant.Id}", context.Now, context.Actor.Kind, context.Actor.Id, context.Actor.Name, reason);
        var (entry, block) = CreditPostings.Grant(posting, wallet, expense, grant.Source, grant.Amount, grant.ExpiresAt, null, $"grant:{grant.Id}");
        context.Db.JournalEntries.Add(entry);
        context.Db.CreditBlocks.Add(block);
        grant.MarkPosted(entry.Id);
    }
}
