using Neruba.Domain.Access;
using Neruba.Infrastructure.Customers;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Console.Api;

/// <summary><c>/api/v1/customers</c>: create, read, list and update customers. A customer is addressed by its Neruba id or external id.</summary>
public static class CustomersApi
{
    public sealed record CustomerBody(
        string? ExternalId, string? Name, string? Email, string? Currency, string? TimeZone, Dictionary<string, string>? Metadata)
    {
        public CustomerInput ToInput() => new(Name, Email, Currency, TimeZone ?? "UTC", Metadata);
    }

    public static void MapCustomersApi(this RouteGroupBuilder api)
    {
        var customers = api.MapGroup("/customers").WithTags("Customers");
        customers.MapPost("/", CreateAsync).RequireScope(ApiScopes.SetupWrite).CreateCustomerDocs();
        customers.MapPut("/{id}", UpdateAsync).RequireScope(ApiScopes.SetupWrite).UpdateCustomerDocs();
        customers.MapGet("/{id}", GetAsync).RequireScope(ApiScopes.BillingRead).GetCustomerDocs();
        customers.MapGet("/", ListAsync).RequireScope(ApiScopes.BillingRead).ListCustomersDocs();
    }

    private static async Task<IResult> CreateAsync(HttpContext http, CreateCustomer useCase, UseCaseRunner runner)
    {
        var (body, problem) = await ApiJson.ReadAsync<CustomerBody>(http.Request);
        if (problem is not null)
        {
            return problem;
        }

        var result = await runner.RunAsync(useCase, ApiActor.From(http.User)!, new CreateCustomer.Request(body!.ExternalId, body.ToInput()), http.RequestAborted);
        return ApiProblems.From(result, customer => Results.Created($"{ApiRegistration.Prefix}/customers/{customer.Id}", customer));
    }

    private static async Task<IResult> UpdateAsync(string id, HttpContext http, UpdateCustomer useCase, UseCaseRunner runner)
    {
        var (body, problem) = await ApiJson.ReadAsync<CustomerBody>(http.Request);
        if (problem is not null)
        {
            return problem;
        }

        var request = new UpdateCustomer.Request(id, body!.ToInput(), body.ExternalId);
        return ApiProblems.From(await runner.RunAsync(useCase, ApiActor.From(http.User)!, request, http.RequestAborted), Results.Ok);
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, GetCustomer useCase, UseCaseRunner runner) =>
        ApiProblems.From(await runner.RunAsync(useCase, ApiActor.From(http.User)!, new GetCustomer.Request(id), http.RequestAborted), Results.Ok);

    private static async Task<IResult> ListAsync(HttpContext http, GetCustomersQuery query, ListCustomers useCase, UseCaseRunner runner)
    {
        var request = new ListCustomers.Request(query.Search, query.Page ?? 0, query.PageSize ?? 50);
        return ApiProblems.From(await runner.RunAsync(useCase, ApiActor.From(http.User)!, request, http.RequestAborted), Results.Ok);
    }

    public sealed record GetCustomersQuery(string? Search, int? Page, int? PageSize)
    {
        public static ValueTask<GetCustomersQuery?> BindAsync(HttpContext http) => ValueTask.FromResult<GetCustomersQuery?>(new(
            http.Request.Query["search"].FirstOrDefault(),
            int.TryParse(http.Request.Query["page"].FirstOrDefault(), out var page) ? page : null,
            int.TryParse(http.Request.Query["pageSize"].FirstOrDefault(), out var size) ? size : null));
    }
}
