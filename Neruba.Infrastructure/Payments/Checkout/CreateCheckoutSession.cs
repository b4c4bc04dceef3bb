using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Infrastructure.Customers;
using Neruba.Infrastructure.UseCases;
using Neruba.Infrastructure.UseCases.Idempotency;
using Stripe;
using Stripe.Checkout;

namespace Neruba.Infrastructure.Payments.Checkout;

/// <summary>
/// Support (or an integration with <c>credits:write</c>) creates a Stripe Checkout link for a customer to buy a credit pack. Nothing is credited
/// here: the purchase is posted only when Stripe's verified webhook says the session was paid. The pack's terms are copied into the session, so
/// changing the pack later does not change what this link buys. A Stripe failure stores nothing and says what happened.
/// </summary>
public sealed class CreateCheckoutSession(StripeGateway gateway) : UseCase<CreateCheckoutSession.Request, CheckoutSessionView>,
    IIdempotentUseCase<CreateCheckoutSession.Request>
{
    public const int MaxUrlLength = 2000;

    public sealed record Request(string? Customer, Guid? PackId, string? SuccessUrl = null, string? CancelUrl = null);

    public override AccessRule Access { get; } = new(Permission.ManageCustomers, ApiScopes.CreditsWrite);

    public override ValidationErrors Validate(Request request)
    {
        var errors = new ValidationErrors();
        if (request.PackId is null || request.PackId == Guid.Empty)
        {
            errors.Add("packId", "Choose a credit pack.");
        }

        return ValidUrl(ValidUrl(errors, "successUrl", request.SuccessUrl), "cancelUrl", request.CancelUrl);
    }

    public async Task<IdempotencyScope?> ResolveIdempotencyScopeAsync(UseCaseContext context, Request request, CancellationToken cancellationToken) =>
        await CustomerRules.FindAsync(context, request.Customer, cancellationToken) is { } customer
            ? new IdempotencyScope(customer.Id.ToString(), request with { Customer = null })
            : null;

    public override async Task<UseCaseResult<CheckoutSessionView>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var connection = await gateway.ConnectAsync(context.Db, context.ProjectId, cancellationToken);
        if (connection is null)
        {
            return UseCaseResult<CheckoutSessionView>.Conflict(StripeGateway.NotConfigured);
        }

        var customer = await CustomerRules.FindAsync(context, request.Customer, cancellationToken);
        if (customer is null)
        {
            return UseCaseResult<CheckoutSessionView>.NotFound($"No customer '{request.Customer}' in this project.");
        }

        var pack = await context.Db.CreditPacks.AsNoTracking().FirstOrDefaultAsync(p => p.ProjectId == context.ProjectId && p.Id == request.PackId, cancellationToken);
        if (pack is null)
        {
            return UseCaseResult<CheckoutSessionView>.NotFound($"No credit pack '{request.PackId}' in this project.");
        }

        if (pack.Archived)
        {
            return UseCaseResult<CheckoutSessionView>.Conflict($"'{pack.Name}' is archived: Finance restores it before it can be sold again.");
        }

        if (!string.Equals(pack.Currency, customer.Currency, StringComparison.Ordinal))
        {
            return UseCaseResult<CheckoutSessionView>.Conflict(
                $"{customer.Name} is billed in {customer.Currency}, and '{pack.Name}' sells {pack.Currency} credit that their invoices could never use. Choose a {customer.Currency} pack.");
        }

        var record = new CheckoutSessionRecord
        {
            Id = Guid.NewGuid(), ProjectId = context.ProjectId, CustomerId = customer.Id, PackId = pack.Id, PackName = pack.Name, Currency = pack.Currency,
            Price = pack.Price, Credit = pack.Credit, ExpiryDays = pack.ExpiryDays, Priority = pack.Priority, Status = CheckoutStatus.Open,
            CreatedAt = context.Now, CreatedByName = context.Actor.Name, Version = 1,
        };
        try
        {
            var stripeCustomer = await StripeCustomerLinks.EnsureAsync(context.Db, connection, customer, cancellationToken, context.Now);
            var session = await new SessionService(connection.Client).CreateAsync(Options(record, stripeCustomer, request),
                new RequestOptions { IdempotencyKey = $"neruba-checkout-{record.Id:N}" }, cancellationToken);
            record.StripeSessionId = session.Id;
            record.Url = session.Url ?? "";
        }
        catch (Exception exception) when (exception is StripeException or HttpRequestException or TimeoutException
            || (exception is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return UseCaseResult<CheckoutSessionView>.Conflict(StripeGateway.Describe(exception));
        }

        context.Db.CheckoutSessions.Add(record);
        var view = CheckoutSessionView.From(record);
        context.Audit("checkout.created", "customer", customer.Id.ToString(), null, view.ForAudit());
        return UseCaseResult<CheckoutSessionView>.Ok(view);
    }

    private static SessionCreateOptions Options(CheckoutSessionRecord record, string stripeCustomer, Request request)
    {
        var metadata = new Dictionary<string, string>
        {
            ["neruba_project"] = record.ProjectId.ToString(),
            ["neruba_checkout"] = record.Id.ToString(),
            ["neruba_customer"] = record.CustomerId.ToString(),
            ["neruba_pack"] = record.PackId.ToString(),
        };
        return new SessionCreateOptions
        {
            Mode = "payment",
            Customer = stripeCustomer,
            ClientReferenceId = record.Id.ToString(),
            SuccessUrl = NullIfBlank(request.SuccessUrl),
            CancelUrl = NullIfBlank(request.CancelUrl),
            LineItems =
            [
                new SessionLineItemOptions
                {
                    Quantity = 1,
                    PriceData = new SessionLineItemPriceDataOptions
                    {
                        Currency = record.Currency.ToLowerInvariant(),
                        UnitAmount = record.Price,
                        ProductData = new SessionLineItemPriceDataProductDataOptions { Name = record.PackName },
                    },
                },
            ],
            Metadata = metadata,
            PaymentIntentData = new SessionPaymentIntentDataOptions { Metadata = new Dictionary<string, string>(metadata) },
        };
    }

    private static string? NullIfBlank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static ValidationErrors ValidUrl(ValidationErrors errors, string field, string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return errors;
        }

        return url.Trim().Length <= MaxUrlLength && Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"
            ? errors
            : errors.Add(field, $"'{(url.Length > 60 ? url[..60] + "…" : url)}' is not an http(s) address of at most {MaxUrlLength} characters.");
    }
}
