using Neruba.Domain.Access;
using Neruba.Infrastructure.Payments.Checkout;
using Neruba.Infrastructure.Payments.CreditPacks;
using Neruba.Infrastructure.UseCases;
using static Neruba.Console.Api.CreditsApi;

namespace Neruba.Console.Api;

/// <summary><c>/api/v1/credit-packs</c> and <c>/api/v1/customers/{id}/checkout-sessions</c>: the packs on sale and Stripe Checkout links to buy them.</summary>
public static class CheckoutApi
{
    public sealed record CheckoutBody(Guid? PackId, string? SuccessUrl, string? CancelUrl);

    public sealed record PackDto(Guid Id, string Name, AmountDto Price, AmountDto Credit, AmountDto Bonus, int? ExpiryDays, int Priority, bool Archived)
    {
        public static PackDto From(CreditPackView p) =>
            new(p.Id, p.Name, AmountDto.From(p.Price), AmountDto.From(p.Credit), AmountDto.From(p.Bonus), p.ExpiryDays, p.Priority, p.Archived);
    }

    public sealed record CheckoutDto(Guid Id, Guid CustomerId, string StripeSessionId, string Url, string Status, Guid PackId, string PackName, AmountDto Price,
        AmountDto Credit, int? ExpiryDays, DateTimeOffset CreatedAt, DateTimeOffset? PaidAt)
    {
        public static CheckoutDto From(CheckoutSessionView s) => new(s.Id, s.CustomerId, s.StripeSessionId, s.Url, Camel(s.Status.ToString()), s.PackId,
            s.PackName, AmountDto.From(s.Price), AmountDto.From(s.Credit), s.ExpiryDays, s.CreatedAt, s.PaidAt);
    }

    public sealed record PackListDto(IReadOnlyList<PackDto> Packs, bool StripeConfigured);

    public static void MapCheckoutApi(this RouteGroupBuilder api)
    {
        api.MapGet("/credit-packs", PacksAsync).WithTags("Checkout").RequireScope(ApiScopes.CreditsRead).PacksDocs();
        var customers = api.MapGroup("/customers/{id}").WithTags("Checkout");
        customers.MapGet("/checkout-sessions", SessionsAsync).RequireScope(ApiScopes.CreditsRead).SessionsDocs();
        customers.MapPost("/checkout-sessions", CreateAsync).RequireScope(ApiScopes.CreditsWrite).CreateSessionDocs();
    }

    private static async Task<IResult> PacksAsync(HttpContext http, ListCreditPacks useCase, UseCaseRunner runner)
    {
        var result = await runner.RunAsync(useCase, ApiActor.From(http.User)!, new ListCreditPacks.Request(), http.RequestAborted);
        return ApiProblems.From(result, list => Results.Ok(new PackListDto(list.Packs.Select(PackDto.From).ToList(), list.StripeConfigured)));
    }

    private static async Task<IResult> SessionsAsync(string id, HttpContext http, ListCheckoutSessions useCase, UseCaseRunner runner)
    {
        var result = await runner.RunAsync(useCase, ApiActor.From(http.User)!, new ListCheckoutSessions.Request(id), http.RequestAborted);
        return ApiProblems.From(result, sessions => Results.Ok(sessions.Select(CheckoutDto.From).ToList()));
    }

    /// <summary>201 with the link to send; with an Idempotency-Key header a retry gets the same link back instead of a second session.</summary>
    private static async Task<IResult> CreateAsync(string id, HttpContext http, CreateCheckoutSession useCase, UseCaseRunner runner)
    {
        var (body, problem) = await ApiJson.ReadAsync<CheckoutBody>(http.Request);
        if (problem is not null)
        {
            return problem;
        }

        // Stripe needs somewhere to send the buyer back: without the caller's own pages, the console's plain ones.
        var console = $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}/checkout/";
        var request = new CreateCheckoutSession.Request(id, body!.PackId,
            string.IsNullOrWhiteSpace(body.SuccessUrl) ? console + Components.Pages.Payments.CheckoutReturn.Completed : body.SuccessUrl,
            string.IsNullOrWhiteSpace(body.CancelUrl) ? console + Components.Pages.Payments.CheckoutReturn.Cancelled : body.CancelUrl);
        var actor = ApiActor.From(http.User)!;
        if (http.Request.Headers.ContainsKey(ApiIdempotency.Header))
        {
            return await ApiIdempotency.RunOnceAsync(http, runner, useCase, actor, request, session => (StatusCodes.Status201Created, CheckoutDto.From(session)));
        }

        var result = await runner.RunAsync(useCase, actor, request, http.RequestAborted);
        return ApiProblems.From(result, session => Results.Json(CheckoutDto.From(session), ApiJson.Options, statusCode: StatusCodes.Status201Created));
    }
}
