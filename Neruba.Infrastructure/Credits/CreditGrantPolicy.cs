using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Domain.Ledger;
using Neruba.Domain.Money;
using Neruba.Infrastructure.Ledger;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Credits;

/// <summary>What the confirmation step tells the person before anything is posted, and what the grant then does.</summary>
public sealed record CreditGrantPreview(MoneyAmount Amount, bool NeedsApproval, MoneyAmount Threshold, MoneyAmount AlreadyInWindow, int WindowHours,
    string Explanation);

/// <summary>
/// The project's credit controls applied to one grant: the cap on a single grant, and the four-eyes threshold on the
/// sum of the customer's grants in the same currency within the rolling window (pending ones included), so splitting
/// a large grant into small ones still needs a Finance approval.
/// </summary>
internal static class CreditGrantPolicy
{
    /// <summary>The preview, or the sentence that refuses the grant outright (over the cap).</summary>
    public static async Task<(CreditGrantPreview? Preview, string? Refusal)> EvaluateAsync(UseCaseContext context, Guid customerId, MoneyAmount amount,
        CancellationToken cancellationToken)
    {
        var project = await context.Db.Projects.AsNoTracking().SingleAsync(p => p.Id == context.ProjectId, cancellationToken);
        var projectCurrency = Currency.Of(project.DefaultCurrency);
        var cap = CapIn(project, projectCurrency, amount.Currency);
        if (amount.Minor > cap.Minor)
        {
            return (null, $"{amount} is more than the largest single grant this project allows ({cap}). "
                + "Check the amount for extra zeros; an Admin can raise the limit in the project settings.");
        }

        var since = context.Now - TimeSpan.FromHours(project.CreditApprovalWindowHours);
        var recent = await context.Db.CreditGrants.AsNoTracking()
            .Where(g => g.ProjectId == context.ProjectId && g.CustomerId == customerId && g.Currency == amount.Currency.Code && g.RequestedAt > since
                && g.Status != CreditGrantStatus.Rejected)
            .Select(g => g.Amount)
            .ToListAsync(cancellationToken);
        var already = new MoneyAmount((long)Math.Min(recent.Sum(a => (decimal)a), long.MaxValue), amount.Currency);
        var threshold = new MoneyAmount(project.CreditApprovalThresholdMinor, projectCurrency);
        return (Explain(amount, already, threshold, project.CreditApprovalWindowHours), null);
    }

    public static CreditGrantPreview Explain(MoneyAmount amount, MoneyAmount already, MoneyAmount threshold, int windowHours)
    {
        if (amount.Currency != threshold.Currency)
        {
            return new CreditGrantPreview(amount, true, threshold, already, windowHours,
                $"The project's approval threshold is in {threshold.Currency.Code}, so a grant in {amount.Currency.Code} always waits for a Finance approval.");
        }

        var total = MoneyAmount.TryAdd(amount, already, out var sum) ? sum : new MoneyAmount(long.MaxValue, amount.Currency);
        var window = $"the last {windowHours} hours";
        if (total.Minor <= threshold.Minor)
        {
            return new CreditGrantPreview(amount, false, threshold, already, windowHours, already.Minor == 0
                ? $"{amount} is within the project's approval threshold of {threshold}: it is posted to the wallet at once."
                : $"With {already} granted in {window}, this makes {total}: within the project's approval threshold of {threshold}, so it is posted at once.");
        }

        return new CreditGrantPreview(amount, true, threshold, already, windowHours, already.Minor == 0
            ? $"{amount} is above the project's approval threshold of {threshold}: it waits for a Finance member to approve it."
            : $"With {already} already granted or requested in {window}, this makes {total}, above the project's approval threshold of {threshold}: "
                + "it waits for a Finance member to approve it.");
    }

    /// <summary>
    /// Requests for one customer are serialised on their wallet's version: two grants racing each other cannot both
    /// read the same window sum and both slip under the threshold; the loser runs again and sees the winner.
    /// </summary>
    public static async Task SerializeOnWalletAsync(UseCaseContext context, Guid customerId, string currency, CancellationToken cancellationToken)
    {
        var wallet = await context.Db.AccountAsync(context.ProjectId, AccountKind.CustomerWallet, currency, customerId, cancellationToken);
        wallet.Touch();
    }

    /// <summary>The cap in the grant's currency: the project's limit in its own currency, or the same number of major units in another.</summary>
    private static MoneyAmount CapIn(Project project, Currency projectCurrency, Currency currency)
    {
        if (currency == projectCurrency)
        {
            return new MoneyAmount(project.MaxCreditGrantMinor, currency);
        }

        var minor = (decimal)project.MaxCreditGrantMinor / projectCurrency.MinorPerMajor * currency.MinorPerMajor;
        return new MoneyAmount((long)Math.Min(decimal.Floor(minor), long.MaxValue), currency);
    }
}
