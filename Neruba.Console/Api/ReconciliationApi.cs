using Neruba.Domain.Access;
using Neruba.Domain.Money;
using Neruba.Infrastructure.Payments.Reconciliation;
using Neruba.Infrastructure.UseCases;
using static Neruba.Console.Api.CreditsApi;

namespace Neruba.Console.Api;

/// <summary><c>/api/v1/reconciliation/mismatches</c>: the differences reconciliation found between Stripe and the ledger, with both sides.</summary>
public static class ReconciliationApi
{
    public sealed record MismatchDto(Guid Id, string Kind, string Status, string SourceId, string? BalanceTransactionId, string ReportingCategory,
        AmountDto? StripeAmount, AmountDto? LedgerAmount, AmountDto? StripeFee, AmountDto? LedgerFee, DateTimeOffset OccurredAt, string StripeSide,
        string LedgerSide, string SuggestedAction, DateTimeOffset FirstSeenAt, DateTimeOffset LastSeenAt, bool AwaitingApproval, DateTimeOffset? ResolvedAt,
        string? ResolvedBy, string? ResolutionNote)
    {
        public static MismatchDto From(MismatchView m) => new(m.Id, Camel(m.Kind.ToString()), Camel(m.Status.ToString()), m.SourceId, m.BalanceTransactionId,
            m.ReportingCategory, Amount(m.StripeAmount, m.Currency), Amount(m.LedgerAmount, m.Currency), Amount(m.StripeFee, m.Currency),
            Amount(m.LedgerFee, m.Currency), m.OccurredAt, m.StripeSide, m.LedgerSide, m.SuggestedAction, m.FirstSeenAt, m.LastSeenAt, m.WaitsForApproval,
            m.ResolvedAt, m.ResolvedByName, m.ResolutionNote);

        private static AmountDto? Amount(long? minor, string currency) =>
            minor is { } value && Currency.TryFind(currency, out var known) ? AmountDto.From(new MoneyAmount(value, known)) : null;
    }

    public sealed record MismatchPageDto(IReadOnlyList<MismatchDto> Items, int Total, int Page, int PageSize);

    public static void MapReconciliationApi(this RouteGroupBuilder api) =>
        api.MapGet("/reconciliation/mismatches", ListAsync).WithTags("Reconciliation").RequireScope(ApiScopes.BillingRead).ListMismatchesDocs();

    /// <summary>Newest first; <c>status</c> (open, resolved, reprocessed, explained, matched) and <c>kind</c> filter, <c>page</c>/<c>pageSize</c> page.</summary>
    private static async Task<IResult> ListAsync(HttpContext http, ListMismatches useCase, UseCaseRunner runner, string? status, string? kind, int? page,
        int? pageSize)
    {
        if (ApiQuery.Enum<MismatchStatus>(status, "status", out var statusFilter) is { } badStatus)
        {
            return badStatus;
        }

        if (ApiQuery.Enum<MismatchKind>(kind, "kind", out var kindFilter) is { } badKind)
        {
            return badKind;
        }

        var request = new ListMismatches.Request(statusFilter, kindFilter, null, page ?? 0, pageSize ?? 25);
        var result = await runner.RunAsync(useCase, ApiActor.From(http.User)!, request, http.RequestAborted);
        return ApiProblems.From(result, list => Results.Ok(new MismatchPageDto(list.Items.Select(MismatchDto.From).ToList(), list.Total, list.Page, list.PageSize)));
    }
}
