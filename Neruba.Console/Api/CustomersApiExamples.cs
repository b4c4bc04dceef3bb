using Neruba.Console.Api.Reference;
using Neruba.Infrastructure.Customers;
using Neruba.Infrastructure.UseCases;
using static Neruba.Console.Api.Reference.ApiExampleValues;

namespace Neruba.Console.Api;

/// <summary>Reference examples for <see cref="CustomersApi"/>.</summary>
internal static class CustomersApiExamples
{
    public static readonly CustomersApi.CustomerBody Create = new(ExternalId, CustomerName, "billing@acme.example", "EUR", "Europe/Berlin",
        new Dictionary<string, string> { ["crmId"] = "0061t00000AbCdE" });

    public static readonly CustomersApi.CustomerBody Update = Create with { Email = "finance@acme.example" };

    public static readonly CustomerView Customer = new(CustomerId, ExternalId, CustomerName, "billing@acme.example", "EUR", "Europe/Berlin",
        new Dictionary<string, string> { ["crmId"] = "0061t00000AbCdE" }, Created, Created);

    public static readonly PageOf<CustomerView> Page = new([Customer], 1, 0, 50);

    public static RouteHandlerBuilder CreateCustomerDocs(this RouteHandlerBuilder endpoint) => endpoint
        .Documented("Create a customer",
            "Creates a customer with its own external id (your system's id), billing currency and time zone. The currency cannot change once " +
            "the customer is billed. Answers 201 with the customer and its Location.", 400, 409, 413, 415)
        .Request(Create).Response(StatusCodes.Status201Created, Customer);

    public static RouteHandlerBuilder UpdateCustomerDocs(this RouteHandlerBuilder endpoint) => endpoint
        .Documented("Update a customer",
            "Replaces a customer's name, email, currency, time zone and metadata; `{id}` is the Neruba id or the external id.", 400, 404, 409, 413, 415)
        .Request(Update).Ok(Customer with { Email = "finance@acme.example" });

    public static RouteHandlerBuilder GetCustomerDocs(this RouteHandlerBuilder endpoint) => endpoint
        .Documented("Get a customer", "One customer by its Neruba id or external id.", 404)
        .Ok(Customer);

    public static RouteHandlerBuilder ListCustomersDocs(this RouteHandlerBuilder endpoint) => endpoint
        .Documented("List customers",
            "The project's customers, newest first, paged (`page` from 0, `pageSize` up to 100); `search` matches name, email or external id.", 400)
        .Ok(Page);
}
