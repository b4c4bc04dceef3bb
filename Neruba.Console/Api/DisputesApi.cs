using Neruba.Domain.Access;
using Neruba.Domain.Money;
using Neruba.Infrastructure.Payments.Disputes;
using Neruba.Infrastructure.UseCases;
using static Neruba.Console.Api.CreditsApi;

namespace Neruba.Console.Api;

/// <summary><c>/api/v1/disputes</c>: the project's card disputes, soonest evidence deadline first, for integrations that watch them.</summary>
public static class DisputesApi
{
    /// <param name="Status">Stripe's status code (needs_response, under_review, won, lost, warning_needs_response, …).</param>
    public sealed record DisputeDto(Guid Id, string StripeId, string Status, string StatusText, string Reason, string ReasonText, AmountDto Amount,
        DateTimeOffset? DueBy, bool Overdue, Guid? CustomerId, Guid? InvoiceId, string? InvoiceNumber, DateTimeOffset? SubmittedAt)
    {
        public static DisputeDto From(DisputeSummary d) => new(d.Id, d.StripeDisputeId, DisputeWords.StripeCode(d.Status), d.StatusText, d.Reason,
            d.ReasonText, AmountDto.From(new MoneyAmount(d.Amount, Currency.Of(d.Currency))), d.EvidenceDueBy, d.Overdue, d.CustomerId, d.InvoiceId,
            d.InvoiceNumber, d.SubmittedAt);
    }

    public static void MapDisputesApi(this RouteGroupBuilder api) =>
        api.MapGet("/disputes", ListAsync).WithTags("Disputes").RequireScope(ApiScopes.BillingRead).ListDisputesDocs();

    /// <summary><c>status</c>: open (the default), needs_response, under_review, won, lost, inquiries or all; <c>reason</c>: Stripe's reason code.</summary>
    private static async Task<IResult> ListAsync(HttpContext http, ListDisputes useCase, UseCaseRunner runner, string? status, string? reason, int? page,
        int? pageSize)
    {
        var filter = DisputeWords.ParseFilter(status);
        if (status is not null && filter is null)
        {
            return ApiProblems.From(UseCaseResult<object>.Invalid("status", $"status is one of {DisputeWords.FilterNames}."), Results.Ok);
        }

        var result = await runner.RunAsync(useCase, ApiActor.From(http.User)!, new ListDisputes.Request(filter, reason, page ?? 0, pageSize ?? 25),
            http.RequestAborted);
        return ApiProblems.From(result, list => Results.Ok(new PageOf<DisputeDto>(list.Items.Select(DisputeDto.From).ToList(), list.Total, list.Page,
            list.PageSize)));
    }
}
