using Neruba.Console.Api.Reference;
using static Neruba.Console.Api.CheckoutApi;
using static Neruba.Console.Api.Reference.ApiExampleValues;

namespace Neruba.Console.Api;

/// <summary>Reference examples for <see cref="CheckoutApi"/>.</summary>
internal static class CheckoutApiExamples
{
    private static readonly PackDto Pack = new(PackId, "Starter 50", Eur(5000), Eur(5000), Eur(500), 365, 20, false);

    private static readonly CheckoutDto Session = new(Guid.Parse("d4e5f6a7-b8c9-4d0e-8f1a-2b3c4d5e6f7a"), CustomerId, "cs_test_a1B2c3D4e5F6g7H8",
        "https://checkout.stripe.com/c/pay/cs_test_a1B2c3D4e5F6g7H8", "open", PackId, "Starter 50", Eur(5000), Eur(5500), 365, Created, null);

    public static RouteHandlerBuilder PacksDocs(this RouteHandlerBuilder endpoint) => endpoint
        .Documented("List credit packs", "The credit packs on sale: price, credit, bonus, expiry. `stripeConfigured` is false when Checkout cannot be used yet.")
        .Ok(new PackListDto([Pack], true));

    public static RouteHandlerBuilder SessionsDocs(this RouteHandlerBuilder endpoint) => endpoint
        .Documented("List a customer's checkout sessions", "The customer's Stripe Checkout sessions for credit packs, newest first, open, paid or expired.", 404)
        .Ok<IReadOnlyList<CheckoutDto>>([Session with { Status = "paid", PaidAt = Created.AddMinutes(4) }]);

    public static RouteHandlerBuilder CreateSessionDocs(this RouteHandlerBuilder endpoint) => endpoint
        .Documented("Create a checkout link for a credit pack",
            "Creates a Stripe Checkout session for the customer to buy a pack; send the buyer to `url`. The credit is granted when Stripe reports " +
            "the payment. Without `successUrl`/`cancelUrl` the buyer returns to the console's plain pages. 409 when Stripe is not configured.",
            400, 404, 409, 413, 415)
        .Idempotent(required: false).Request(new CheckoutBody(PackId, "https://app.acme.example/billing/thanks", "https://app.acme.example/billing"))
        .Response(StatusCodes.Status201Created, Session);
}
