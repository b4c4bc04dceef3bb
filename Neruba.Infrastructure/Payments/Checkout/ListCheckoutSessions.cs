using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Infrastructure.Customers;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Payments.Checkout;

/// <summary>Checkout links, newest first: one customer's (by id or external id), or the whole project's when no customer is named.</summary>
public sealed class ListCheckoutSessions : UseCase<ListCheckoutSessions.Request, IReadOnlyList<CheckoutSessionView>>
{
    public const int MaxLimit = 200;

    public sealed record Request(string? Customer, int? Limit = null);

    public override AccessRule Access { get; } = new(Permission.ViewConsole, ApiScopes.CreditsRead);

    public override ValidationErrors Validate(Request request) =>
        request.Limit is < 1 or > MaxLimit ? new ValidationErrors().Add("limit", $"The limit is 1 to {MaxLimit}.") : ValidationErrors.None;

    public override async Task<UseCaseResult<IReadOnlyList<CheckoutSessionView>>> HandleAsync(UseCaseContext context, Request request,
        CancellationToken cancellationToken)
    {
        var sessions = context.Db.CheckoutSessions.AsNoTracking().Where(s => s.ProjectId == context.ProjectId);
        if (!string.IsNullOrWhiteSpace(request.Customer))
        {
            var customer = await CustomerRules.FindAsync(context, request.Customer, cancellationToken);
            if (customer is null)
            {
                return UseCaseResult<IReadOnlyList<CheckoutSessionView>>.NotFound($"No customer '{request.Customer}' in this project.");
            }

            sessions = sessions.Where(s => s.CustomerId == customer.Id);
        }

        var rows = await sessions.OrderByDescending(s => s.CreatedAt).Take(request.Limit ?? 50).ToListAsync(cancellationToken);
        return UseCaseResult<IReadOnlyList<CheckoutSessionView>>.Ok(rows.Select(CheckoutSessionView.From).ToList());
    }
}
