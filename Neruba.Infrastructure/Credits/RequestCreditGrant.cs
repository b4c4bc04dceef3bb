using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Domain.Ledger;
using Neruba.Domain.Money;
using Neruba.Infrastructure.Customers;
using Neruba.Infrastructure.UseCases;
using Neruba.Infrastructure.UseCases.Idempotency;

namespace Neruba.Infrastructure.Credits;

/// <summary>
/// Support (or an integration with <c>credits:write</c>) grants a customer credit. Within the project's threshold
/// (summed over the customer's recent grants) it posts at once; above it, or in another currency than the
/// project's, it waits for Finance. Above the project's cap on one grant it is refused. Through the API it runs
/// under an Idempotency-Key scoped to the resolved customer.
/// </summary>
public sealed class RequestCreditGrant : UseCase<RequestCreditGrant.Request, CreditGrantView>, IIdempotentUseCase<RequestCreditGrant.Request>
{
    public const int MaxNoteLength = 1000;

    public sealed record Request(string? Customer, string? Amount, string? Currency, string? ReasonCode, string? Note, DateTimeOffset? ExpiresAt,
        CreditSource Source = CreditSource.SupportGrant);

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

        errors.Optional("note", request.Note, MaxNoteLength, "Note", multiline: true);
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

    public async Task<IdempotencyScope?> ResolveIdempotencyScopeAsync(UseCaseContext context, Request request, CancellationToken cancellationToken) =>
        await CustomerRules.FindAsync(context, request.Customer, cancellationToken) is { } customer
            ? new IdempotencyScope(customer.Id.ToString(), request with { Customer = null, Amount = ParseAmount(request, out _)!.Value.ToInputString() })
            : null;

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
        await CreditGrantPolicy.SerializeOnWalletAsync(context, customer.Id, amount.Currency.Code, cancellationToken);
        var (preview, refusal) = await CreditGrantPolicy.EvaluateAsync(context, customer.Id, amount, cancellationToken);
        if (preview is null)
        {
            return UseCaseResult<CreditGrantView>.Invalid("amount", refusal!);
        }

        var grant = new CreditGrant(Guid.NewGuid(), context.ProjectId, customer.Id, amount.Minor, amount.Currency.Code, request.Source, request.ReasonCode!,
            request.Note?.Trim() ?? "", request.ExpiresAt, context.Actor.PersonId, context.Actor.Name, context.Now, preview.NeedsApproval);
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

/// <summary>What a grant would do (post at once, wait for approval, or be refused), for the confirmation step. Changes nothing.</summary>
public sealed class PreviewCreditGrant : UseCase<RequestCreditGrant.Request, CreditGrantPreview>
{
    public override AccessRule Access { get; } = new(Permission.ManageCustomers);

    public override ValidationErrors Validate(RequestCreditGrant.Request request) => new RequestCreditGrant().Validate(request);

    public override async Task<UseCaseResult<CreditGrantPreview>> HandleAsync(UseCaseContext context, RequestCreditGrant.Request request,
        CancellationToken cancellationToken)
    {
        var customer = await CustomerRules.FindAsync(context, request.Customer, cancellationToken);
        if (customer is null)
        {
            return UseCaseResult<CreditGrantPreview>.NotFound($"No customer '{request.Customer}' in this project.");
        }

        var (preview, refusal) = await CreditGrantPolicy.EvaluateAsync(context, customer.Id, RequestCreditGrant.ParseAmount(request, out _)!.Value, cancellationToken);
        return preview is null ? UseCaseResult<CreditGrantPreview>.Invalid("amount", refusal!) : UseCaseResult<CreditGrantPreview>.Ok(preview);
    }
}
