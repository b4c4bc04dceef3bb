using Neruba.Domain.Access;
using Neruba.Domain.Ledger;
using Neruba.Domain.Money;
using Neruba.Infrastructure.Credits;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Console.Api;

/// <summary><c>/api/v1/customers/{id}/balance</c> and <c>/credit-grants</c>: read credit, grant credit (idempotently).</summary>
public static class CreditsApi
{
    public sealed record GrantBody(JsonAmount? Amount, string? Currency, string? ReasonCode, string? Note, DateTimeOffset? ExpiresAt);

    public sealed record AmountDto(string Amount, long AmountMinor, string Currency)
    {
        public static AmountDto From(MoneyAmount money) => new(money.ToInputString(), money.Minor, money.Currency.Code);
    }

    public sealed record GrantDto(Guid Id, Guid CustomerId, AmountDto Amount, string Status, string ReasonCode, string Note, DateTimeOffset? ExpiresAt,
        string RequestedBy, DateTimeOffset RequestedAt, string? DecidedBy, DateTimeOffset? DecidedAt, string? DecisionComment, Guid? EntryId)
    {
        public static GrantDto From(CreditGrantView g) => new(g.Id, g.CustomerId, AmountDto.From(g.Amount), Camel(g.Status.ToString()), g.ReasonCode,
            g.Note, g.ExpiresAt, g.RequestedBy, g.RequestedAt, g.DecidedBy, g.DecidedAt, g.DecisionComment, g.EntryId);
    }

    public sealed record BlockDto(Guid Id, string Source, AmountDto Granted, AmountDto Remaining, DateTimeOffset? ExpiresAt, int Priority, DateTimeOffset CreatedAt);

    /// <param name="Available">Credit a new invoice can use (unexpired blocks).</param>
    /// <param name="HeldForInvoices">Expired credit kept for the invoice of the month it was valid in.</param>
    /// <param name="Balance">The ledger balance: available + held + expired credit not yet written off.</param>
    public sealed record WalletDto(string Currency, AmountDto Available, AmountDto HeldForInvoices, AmountDto Balance, IReadOnlyList<BlockDto> Blocks);

    public sealed record BalanceDto(Guid CustomerId, string ExternalId, IReadOnlyList<WalletDto> Wallets, IReadOnlyList<GrantDto> PendingGrants);

    public static void MapCreditsApi(this RouteGroupBuilder api)
    {
        var customers = api.MapGroup("/customers/{id}").WithTags("Credits");
        customers.MapGet("/balance", BalanceAsync).RequireScope(ApiScopes.CreditsRead).BalanceDocs();
        customers.MapPost("/credit-grants", GrantAsync).RequireScope(ApiScopes.CreditsWrite).GrantDocs();
    }

    private static async Task<IResult> BalanceAsync(string id, HttpContext http, GetCustomerBalance useCase, UseCaseRunner runner)
    {
        var result = await runner.RunAsync(useCase, ApiActor.From(http.User)!, new GetCustomerBalance.Request(id), http.RequestAborted);
        return ApiProblems.From(result, balance => Results.Ok(new BalanceDto(balance.CustomerId, balance.ExternalId,
            balance.Wallets.Select(w => new WalletDto(w.Currency, AmountDto.From(w.Available), AmountDto.From(w.HeldForInvoices), AmountDto.From(w.Balance),
                w.Blocks.Select(b => new BlockDto(b.Id, Camel(b.Source.ToString()), AmountDto.From(b.Original), AmountDto.From(b.Remaining), b.ExpiresAt,
                    b.Priority, b.CreatedAt)).ToList())).ToList(),
            balance.PendingGrants.Select(GrantDto.From).ToList())));
    }

    private static async Task<IResult> GrantAsync(string id, HttpContext http, RequestCreditGrant useCase, UseCaseRunner runner)
    {
        var (body, problem) = await ApiJson.ReadAsync<GrantBody>(http.Request);
        if (problem is not null)
        {
            return problem;
        }

        var request = new RequestCreditGrant.Request(id, body!.Amount?.Text, body.Currency, body.ReasonCode, body.Note,
            body.ExpiresAt);
        return await ApiIdempotency.RunOnceAsync(http, runner, useCase, ApiActor.From(http.User)!, request, grant =>
            (grant.Status == CreditGrantStatus.Posted ? StatusCodes.Status201Created : StatusCodes.Status202Accepted, GrantDto.From(grant)));
    }

    internal static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}
