using Neruba.Domain.Access;
using Neruba.Domain.Billing;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Billing.Plans;
using Neruba.Infrastructure.Billing.Subscriptions;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Console.Api;

/// <summary>Plans (<c>/api/v1/plans</c>), subscriptions and finalized invoices for integrations.</summary>
public static class BillingApi
{
    /// <summary>Amounts in major units of the plan's currency (49.00); prices as decimals.</summary>
    public sealed record PlanBody(string? Name, string? Currency, BillingInterval? Interval, JsonAmount? BaseFee, FeeTiming? FeeTiming, List<UsageCharge>? Charges,
        JsonAmount? MinimumCommitment, JsonAmount? PrepaidCredit);

    public sealed record StartBody(string? Plan, DateOnly? StartsOn, DateOnly? BillingAnchor);

    public sealed record ChangeBody(string? Plan, DateOnly? EffectiveOn);

    public sealed record CancelBody(CancellationMode? Mode, string? Reason);

    public static void MapBillingApi(this RouteGroupBuilder api)
    {
        var plans = api.MapGroup("/plans").WithTags("Billing");
        plans.MapGet("/", (HttpContext http, ListPlans useCase, UseCaseRunner runner) => RunAsync(http, runner, useCase, new ListPlans.Request()))
            .RequireScope(ApiScopes.BillingRead).ListPlansDocs();
        plans.MapPut("/{code}", SavePlanAsync).RequireScope(ApiScopes.SetupWrite).SavePlanDocs();

        var customers = api.MapGroup("/customers/{id}/subscriptions").WithTags("Billing");
        customers.MapGet("/", (string id, HttpContext http, ListSubscriptions useCase, UseCaseRunner runner) =>
            RunAsync(http, runner, useCase, new ListSubscriptions.Request(id))).RequireScope(ApiScopes.BillingRead).ListSubscriptionsDocs();
        customers.MapPost("/", (string id, HttpContext http, StartSubscription useCase, UseCaseRunner runner) =>
            WithBodyOnceAsync<StartBody, StartSubscription.Request, SubscriptionView>(http, runner, useCase, b => new(id, b.Plan, b.StartsOn, b.BillingAnchor)))
            .RequireScope(ApiScopes.SetupWrite).StartSubscriptionDocs();

        var subscriptions = api.MapGroup("/subscriptions/{id}").WithTags("Billing");
        subscriptions.MapPost("/plan-change", (string id, HttpContext http, ChangeSubscriptionPlan useCase, UseCaseRunner runner) =>
            WithBodyOnceAsync<ChangeBody, ChangeSubscriptionPlan.Request, SubscriptionView>(http, runner, useCase, b => new(SubscriptionId(id), b.Plan, b.EffectiveOn)))
            .RequireScope(ApiScopes.SetupWrite).ChangePlanDocs();
        subscriptions.MapPost("/cancel", (string id, HttpContext http, CancelSubscription useCase, UseCaseRunner runner) =>
            WithBodyOnceAsync<CancelBody, CancelSubscription.Request, SubscriptionView>(http, runner, useCase, b => new(SubscriptionId(id), b.Mode, b.Reason)))
            .RequireScope(ApiScopes.SetupWrite).CancelDocs();

        var invoices = api.MapGroup("/invoices").WithTags("Billing");
        invoices.MapGet("/", ListInvoicesAsync).RequireScope(ApiScopes.BillingRead).ListInvoicesDocs();
        invoices.MapGet("/{key}", (string key, HttpContext http, GetInvoice useCase, UseCaseRunner runner) =>
            RunAsync(http, runner, useCase, new GetInvoice.Request(key))).RequireScope(ApiScopes.BillingRead).GetInvoiceDocs();
    }

    private static Task<IResult> SavePlanAsync(string code, HttpContext http, SavePlan useCase, UseCaseRunner runner) =>
        WithBodyAsync<PlanBody, SavePlan.Request, PlanView>(http, runner, useCase, b => new(code, b.Name, b.Currency, b.Interval, Amount(b.BaseFee), b.FeeTiming,
            b.Charges, Amount(b.MinimumCommitment), Amount(b.PrepaidCredit)));

    private static async Task<IResult> ListInvoicesAsync(HttpContext http, ListInvoices useCase, UseCaseRunner runner, string? status, string? month,
        string? customer, int? page, int? pageSize)
    {
        if (ApiQuery.Enum<InvoiceStatus>(status, "status", out var statusFilter) is { } badStatus)
        {
            return badStatus;
        }

        if (ApiQuery.Month(month, "month", out var monthStart) is { } badMonth)
        {
            return badMonth;
        }

        return await RunAsync(http, runner, useCase, new ListInvoices.Request(statusFilter, monthStart, customer, page ?? 0, pageSize ?? 25));
    }

    /// <summary>An id that is not a Guid names no subscription: the use case answers 404.</summary>
    private static Guid SubscriptionId(string id) => Guid.TryParse(id, out var parsed) ? parsed : Guid.Empty;

    // The use cases take amounts as the client wrote them, so the currency's decimals are checked in one place.
    private static string? Amount(JsonAmount? value) => value?.Text;

    private static async Task<IResult> RunAsync<TRequest, TResult>(HttpContext http, UseCaseRunner runner, UseCase<TRequest, TResult> useCase, TRequest request) =>
        ApiProblems.From(await runner.RunAsync(useCase, ApiActor.From(http.User)!, request, http.RequestAborted), value => Results.Ok(value));

    private static async Task<IResult> WithBodyAsync<TBody, TRequest, TResult>(HttpContext http, UseCaseRunner runner, UseCase<TRequest, TResult> useCase,
        Func<TBody, TRequest> toRequest) where TBody : class
    {
        var (body, problem) = await ApiJson.ReadAsync<TBody>(http.Request);
        return problem ?? await RunAsync(http, runner, useCase, toRequest(body!));
    }

    /// <summary>As <see cref="WithBodyAsync"/>; with an Idempotency-Key header the change runs once per key and retries get the first answer.</summary>
    private static async Task<IResult> WithBodyOnceAsync<TBody, TRequest, TResult>(HttpContext http, UseCaseRunner runner, UseCase<TRequest, TResult> useCase,
        Func<TBody, TRequest> toRequest) where TBody : class
    {
        var (body, problem) = await ApiJson.ReadAsync<TBody>(http.Request);
        if (problem is not null)
        {
            return problem;
        }

        return http.Request.Headers.ContainsKey(ApiIdempotency.Header)
            ? await ApiIdempotency.RunOnceAsync(http, runner, useCase, ApiActor.From(http.User)!, toRequest(body!), value => (StatusCodes.Status200OK, (object)value!))
            : await RunAsync(http, runner, useCase, toRequest(body!));
    }
}
