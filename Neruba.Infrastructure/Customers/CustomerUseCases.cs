using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Domain.Customers;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Customers;

/// <summary>Support (or an integration with <c>setup:write</c>) creates a customer with an external id unique in the project.</summary>
public sealed class CreateCustomer : UseCase<CreateCustomer.Request, CustomerView>
{
    public sealed record Request(string? ExternalId, CustomerInput? Details);

    public override AccessRule Access { get; } = new(Permission.ManageCustomers, ApiScopes.SetupWrite);

    public override ValidationErrors Validate(Request request)
    {
        var errors = new ValidationErrors().Required("externalId", request.ExternalId, Customer.MaxExternalIdLength, "External id");
        if (request.ExternalId is { } id && id.Trim() != id)
        {
            errors.Add("externalId", "External id cannot start or end with spaces.");
        }

        return CustomerRules.Validate(request.Details, errors);
    }

    public override async Task<UseCaseResult<CustomerView>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var externalId = request.ExternalId!;
        if (Guid.TryParse(externalId, out var lookalike) && await context.Db.Customers.AnyAsync(c => c.ProjectId == context.ProjectId && c.Id == lookalike, cancellationToken))
        {
            // Lookups try Neruba ids first: this customer could never be found by its own external id.
            return UseCaseResult<CustomerView>.Invalid("externalId", $"'{externalId}' is another customer's Neruba id; choose another external id.");
        }

        if (await context.Db.Customers.AnyAsync(c => c.ProjectId == context.ProjectId && c.ExternalId == externalId, cancellationToken))
        {
            return UseCaseResult<CustomerView>.Conflict($"A customer with external id '{externalId}' already exists in this project.");
        }

        var details = request.Details!;
        var customer = new Customer(Guid.NewGuid(), context.ProjectId, externalId, details.Name!, details.Email, details.Currency!,
            details.TimeZone!.Trim(), context.Now, CustomerRules.MetadataJson(details));
        context.Db.Customers.Add(customer);
        var view = CustomerView.From(customer);
        context.Audit("customer.created", "customer", customer.Id.ToString(), null, view.ForAudit());
        return UseCaseResult<CustomerView>.Ok(view);
    }
}

/// <summary>Changes a customer's name, email, currency, time zone and metadata. The external id never changes.</summary>
public sealed class UpdateCustomer : UseCase<UpdateCustomer.Request, CustomerView>
{
    /// <param name="ExpectedExternalId">When given (the API lets clients repeat it), it must be the customer's own.</param>
    public sealed record Request(string? IdOrExternalId, CustomerInput? Details, string? ExpectedExternalId = null);

    public override AccessRule Access { get; } = new(Permission.ManageCustomers, ApiScopes.SetupWrite);

    public override ValidationErrors Validate(Request request) => CustomerRules.Validate(request.Details, new ValidationErrors());

    public override async Task<UseCaseResult<CustomerView>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var customer = await CustomerRules.FindAsync(context, request.IdOrExternalId, cancellationToken);
        if (customer is null)
        {
            return UseCaseResult<CustomerView>.NotFound($"No customer '{request.IdOrExternalId}' in this project.");
        }

        if (request.ExpectedExternalId is { } expected && expected != customer.ExternalId)
        {
            return UseCaseResult<CustomerView>.Invalid("externalId", "externalId cannot be changed; create a new customer instead.");
        }

        var before = CustomerView.From(customer).ForAudit();
        var details = request.Details!;
        customer.Change(details.Name!, details.Email, details.Currency!, details.TimeZone!.Trim(), CustomerRules.MetadataJson(details), context.Now);
        var view = CustomerView.From(customer);
        context.Audit("customer.updated", "customer", customer.Id.ToString(), before, view.ForAudit());
        return UseCaseResult<CustomerView>.Ok(view);
    }
}

/// <summary>One customer of the current project, by Neruba id or external id.</summary>
public sealed class GetCustomer : UseCase<GetCustomer.Request, CustomerView>
{
    public sealed record Request(string? IdOrExternalId);

    public override AccessRule Access { get; } = new(Permission.ViewConsole, ApiScopes.BillingRead);

    public override async Task<UseCaseResult<CustomerView>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var customer = await CustomerRules.FindAsync(context, request.IdOrExternalId, cancellationToken);
        return customer is null
            ? UseCaseResult<CustomerView>.NotFound($"No customer '{request.IdOrExternalId}' in this project.")
            : UseCaseResult<CustomerView>.Ok(CustomerView.From(customer));
    }
}

/// <summary>Customers of the current project: search by name, external id or email; sort; page.</summary>
public sealed class ListCustomers : UseCase<ListCustomers.Request, PageOf<CustomerView>>
{
    public enum SortField
    {
        Name,
        ExternalId,
        Email,
        CreatedAt,
    }

    public sealed record Request(string? Search, int Page, int PageSize, SortField Sort = SortField.Name, bool Descending = false);

    public override AccessRule Access { get; } = new(Permission.ViewConsole, ApiScopes.BillingRead);

    public override async Task<UseCaseResult<PageOf<CustomerView>>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var (page, size) = Paging.Normalize(request.Page, request.PageSize);
        var query = context.Db.Customers.AsNoTracking().Where(c => c.ProjectId == context.ProjectId);
        if (!string.IsNullOrWhiteSpace(request.Search))
        {
            var pattern = Paging.LikePattern(request.Search);
            query = query.Where(c => EF.Functions.Like(c.Name, pattern, "\\") || EF.Functions.Like(c.ExternalId, pattern, "\\")
                || (c.Email != null && EF.Functions.Like(c.Email, pattern, "\\")));
        }

        query = (request.Sort, request.Descending) switch
        {
            (SortField.ExternalId, false) => query.OrderBy(c => c.ExternalId),
            (SortField.ExternalId, true) => query.OrderByDescending(c => c.ExternalId),
            (SortField.Email, false) => query.OrderBy(c => c.Email).ThenBy(c => c.Id),
            (SortField.Email, true) => query.OrderByDescending(c => c.Email).ThenBy(c => c.Id),
            (SortField.CreatedAt, false) => query.OrderBy(c => c.CreatedAt).ThenBy(c => c.Id),
            (SortField.CreatedAt, true) => query.OrderByDescending(c => c.CreatedAt).ThenBy(c => c.Id),
            (_, true) => query.OrderByDescending(c => c.Name).ThenBy(c => c.Id),
            _ => query.OrderBy(c => c.Name).ThenBy(c => c.Id),
        };

        var total = await query.CountAsync(cancellationToken);
        var customers = await query.Skip(page * size).Take(size).ToListAsync(cancellationToken);
        return UseCaseResult<PageOf<CustomerView>>.Ok(new PageOf<CustomerView>(customers.Select(CustomerView.From).ToList(), total, page, size));
    }
}
