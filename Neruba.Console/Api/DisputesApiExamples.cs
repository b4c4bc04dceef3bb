using Neruba.Console.Api.Reference;
using Neruba.Infrastructure.UseCases;
using static Neruba.Console.Api.DisputesApi;
using static Neruba.Console.Api.Reference.ApiExampleValues;

namespace Neruba.Console.Api;

/// <summary>Reference examples for <see cref="DisputesApi"/>.</summary>
internal static class DisputesApiExamples
{
    private static readonly DisputeDto Dispute = new(Guid.Parse("e5f6a7b8-c9d0-4e1f-9a2b-3c4d5e6f7a8b"), "dp_1QxYz2AbCdEfGh", "needs_response", "Needs response",
        "fraudulent", "Fraudulent", Eur(16150), new DateTimeOffset(2026, 12, 2, 23, 59, 59, TimeSpan.Zero), false, CustomerId, InvoiceId, InvoiceNumber, null);

    public static RouteHandlerBuilder ListDisputesDocs(this RouteHandlerBuilder endpoint) => endpoint
        .Documented("List disputes",
            "The project's card disputes, soonest evidence deadline first, paged; `status`: open (the default), needs_response, under_review, " +
            "won, lost, inquiries or all; `reason`: Stripe's reason code. Evidence is submitted in the console.", 400)
        .Ok(new PageOf<DisputeDto>([Dispute], 1, 0, 25));
}
