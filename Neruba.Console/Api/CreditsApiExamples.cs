using Neruba.Console.Api.Reference;
using static Neruba.Console.Api.CreditsApi;
using static Neruba.Console.Api.Reference.ApiExampleValues;

namespace Neruba.Console.Api;

/// <summary>Reference examples for <see cref="CreditsApi"/>.</summary>
internal static class CreditsApiExamples
{
    public static readonly GrantBody Grant = new(new JsonAmount("25.00"), "EUR", "goodwill", "Outage on 2026-10-28, ticket 4711.",
        new DateTimeOffset(2027, 3, 31, 23, 59, 59, TimeSpan.Zero));

    public static readonly GrantDto Posted = new(Guid.Parse("9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"), CustomerId, Eur(2500), "posted", "goodwill",
        "Outage on 2026-10-28, ticket 4711.", Grant.ExpiresAt, "API key usage pipeline (nrb_5kq2…)", Created, null, null, null,
        Guid.Parse("1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e"));

    public static readonly BalanceDto Balance = new(CustomerId, ExternalId,
        [new WalletDto("EUR", Eur(4250), Eur(0), Eur(4250),
            [new BlockDto(Guid.Parse("3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f"), "grant", Eur(2500), Eur(1750), Grant.ExpiresAt, 10, Created),
             new BlockDto(Guid.Parse("4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a"), "purchase", Eur(2500), Eur(2500), null, 20, Created)])],
        [Posted with { Id = Guid.Parse("6f7a8b9c-0d1e-4f2a-8b3c-4d5e6f7a8b9c"), Amount = Eur(100000), Status = "pending", EntryId = null }]);

    public static RouteHandlerBuilder BalanceDocs(this RouteHandlerBuilder endpoint) => endpoint
        .Documented("Get a customer's credit balance",
            "The customer's wallets, one per currency: credit available to new invoices, expired credit still held for the invoice of its month, " +
            "the ledger balance, each credit block (grant, purchase or plan credit) with what remains and when it expires, and grants awaiting " +
            "approval. `{id}` is the Neruba id or the external id.", 404)
        .Ok(Balance);

    public static RouteHandlerBuilder GrantDocs(this RouteHandlerBuilder endpoint) => endpoint
        .Documented("Grant credit to a customer",
            "Grants credit with a reason code and note. A grant within the project's approval limit is posted at once (201, status `posted`); " +
            "a larger one waits for a second person's approval in the console (202, status `pending`). Once per Idempotency-Key.",
            400, 404, 409, 413, 415)
        .Idempotent(required: true).Request(Grant).Response(StatusCodes.Status201Created, Posted)
        .Response(StatusCodes.Status202Accepted, Posted with { Status = "pending", EntryId = null });
}
