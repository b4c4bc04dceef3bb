using Neruba.Console.Api.Reference;
using static Neruba.Console.Api.ReconciliationApi;
using static Neruba.Console.Api.Reference.ApiExampleValues;

namespace Neruba.Console.Api;

/// <summary>Reference examples for <see cref="ReconciliationApi"/>.</summary>
internal static class ReconciliationApiExamples
{
    private static readonly DateTimeOffset Seen = new(2026, 11, 2, 3, 0, 0, TimeSpan.Zero);

    private static readonly MismatchDto Mismatch = new(Guid.Parse("f6a7b8c9-d0e1-4f2a-8b3c-4d5e6f7a8b9c"), "missingInLedger", "open", "ch_3QxYz2AbCdEfGh01",
        "txn_3QxYz2AbCdEfGh02", "charge", Eur(16150), null, Eur(265), null, new DateTimeOffset(2026, 11, 1, 18, 42, 0, TimeSpan.Zero),
        "Charge of EUR 161.50 for INV-2026-0042", "No payment posted", "Replay the webhook event from Payments → Webhooks, or post the payment.",
        Seen, Seen, false, null, null, null);

    public static RouteHandlerBuilder ListMismatchesDocs(this RouteHandlerBuilder endpoint) => endpoint
        .Documented("List reconciliation mismatches",
            "Differences reconciliation found between Stripe's balance transactions and the ledger, newest first, with both sides and the " +
            "suggested action; filter by `status` (open, resolved, reprocessed, explained, matched) and `kind`. Resolved in the console.", 400)
        .Ok(new MismatchPageDto([Mismatch], 1, 0, 25));
}
