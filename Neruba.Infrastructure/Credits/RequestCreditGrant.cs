using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Domain.Ledger;
using Neruba.Domain.Money;
using Neruba.Infrastructure.Customers;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Credits;

/// <summary>
/// Support (or an integration with <c>credits:write</c>) grants a customer credit. Up to the project's
/// threshold it posts at once; above it, or in another currency than the project's, it waits for Finance.
/// </summary>
public sealed class RequestCreditGrant : UseCase<RequestCreditGrant.Request, CreditGrantView>
{
    public const int MaxNoteLength = 1000;

    public sealed record Request(string? Customer, string? Amount, string? Currency, string? ReasonCode, string? Note, DateTimeOffset? ExpiresAt,
        CreditSource Source = CreditSource.SupportGrant);

    /// <summary>What the confirmation step tells the person before anything is posted.</summary>
    public sealed record Preview(MoneyAmount Amount, bool NeedsApproval, MoneyAmount Threshold, string Explanation);

    public override AccessRule Access { get; } = new(Permission.ManageCustomers, ApiScopes.CreditsWrite);

    public override ValidationErrors Validate(Request request)
    {
        var errors = new ValidationErrors().Currency("currency", request.Currency);
        if (errors.IsEmpty && ParseAmount(request, out var error) is null)
        {
            errors.Add("amount", error!);
        }

        if (!CreditReasonCodes.IsKnown(request.ReasonCode))
        {
            errors.Add("reasonCode", $"Choose a reason code: {string.Join(", ", CreditReasonCodes.All.Keys)}.");
        }

        errors.Optional("note", request.Note, MaxNoteLength, "Note");
        if (request.ReasonCode == "other" && string.IsNullOrWhiteSpace(request.Note))
        {
            errors.Add("note", "With the reason 'other', say why in the note.");
        }

        if (request.Source is not (CreditSource.SupportGrant or CreditSource.Promotional))
        {
            errors.Add("source", "Only support grants and promotional credit can be granted by hand.");
        }

        return errors;
    }

    /// <summary>Every check that needs no database, for forms that want to confirm before they submit.</summary>
    public static UseCaseResult<Request> ValidateRequest(Request request, DateTimeOffset now)
    {
        var errors = new RequestCreditGrant().Validate(request);
        if (request.ExpiresAt is { } expiry && expiry <= now)
        {
            errors.Add("expiresAt", "The expiry date is in the past; choose a later date or none.");
        }

        return errors.IsEmpty ? UseCaseResult<Request>.Ok(request) : UseCaseResult<Request>.Invalid(errors);
    }

    /// <summary>The amount in minor units; refused when not positive, too precise for the currency, or too large.</summary>
    public static MoneyAmount? ParseAmount(Request request, out string? error)
    {
        error = null;
        var currency = Domain.Money.Currency.Of(request.Currency!);
        if (!MoneyAmount.TryParse(request.Amount, currency, out var amount, out error))
        {
            return null;
        }

        if (amount.Minor <= 0)
        {
            error = "The amount must be more than zero.";
            return null;
        }

        return amount;
    }

    public static Preview Explain(MoneyAmount amount, MoneyAmount threshold)
    {
        if (amount.Currency != threshold.Currency)
        {
            return new Preview(amount, true, threshold,
                $"The project's approval threshold is in {threshold.Currency.Code}, so a grant in {amount.Currency.Code} always waits for a Finance approval.");
        }

        return amount.Minor > threshold.Minor
            ? new Preview(amount, true, threshold, $"{amount} is above the project's approval threshold of {threshold}: it waits for a Finance member to approve it.")
            : new Preview(amount, false, threshold, $"{amount} is within the project's approval threshold of {threshold}: it is posted to the wallet at once.");
    }

    public override async Task<UseCaseResult<CreditGrantView>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        if (request.ExpiresAt is { } expiry && expiry <= context.Now)
        {
            return UseCaseResult<CreditGrantView>.Invalid("expiresAt", "The expiry date is in the past; choose a later date or none.");
        }

        var customer = await CustomerRules.FindAsync(context, request.Customer, cancellationToken);
        if (customer is null)
        {
            return UseCaseResult<CreditGrantView>.NotFound($"No customer '{request.Customer}' in this project.");
        }

        var amount = ParseAmount(request, out _)!.Value;
        var project = await context.Db.Projects.AsNoTracking().SingleAsync(p => p.Id == context.ProjectId, cancellationToken);
        var preview = Explain(amount, new MoneyAmount(project.CreditApprovalThresholdMinor, Domain.Money.Currency.Of(project.DefaultCurrency)));

        var grant = new CreditGrant(Guid.NewGuid(), context.ProjectId, customer.Id, amount.Minor, amount.Currency.Code, request.Source, request.ReasonCode!,
            request.Note?.Trim() ?? "", request.ExpiresAt, context.Actor.Id, context.Actor.Name, context.Now, preview.NeedsApproval);
        context.Db.CreditGrants.Add(grant);
        if (!preview.NeedsApproval)
        {
            await GrantPosting.PostAsync(context, grant, cancellationToken);
        }

        var view = CreditGrantView.From(grant, customer.Name);
        context.Audit(preview.NeedsApproval ? "credit.requested" : "credit.granted", "customer", customer.Id.ToString(), null, view.ForAudit(),
            grant.Note.Length > 0 ? grant.Note : null);
        return UseCaseResult<CreditGrantView>.Ok(view);
    }
}
