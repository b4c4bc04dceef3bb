using Neruba.Console.Api.Reference;
using static Neruba.Console.Api.CorrectionsApi;
using static Neruba.Console.Api.Reference.ApiExampleValues;

namespace Neruba.Console.Api;

/// <summary>Reference examples for <see cref="CorrectionsApi"/>.</summary>
internal static class CorrectionsApiExamples
{
    public static readonly CreditNoteBody Credit = new([new LineBody(0, new JsonAmount("480000"), null)], null, null, "billing_error",
        "Calls counted twice on 2026-10-14, ticket 4712.");

    private static readonly InvoiceStateDto Invoice = new(InvoiceId, InvoiceNumber, "finalized", Eur(18650), Eur(14950), Eur(1200), Eur(0), Eur(0), Eur(0));

    public static readonly CreditNoteDto Issued = new(Guid.Parse("c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f"), "CN-2026-0007", Eur(1200),
        new AllocationDto(Eur(1200), Eur(0), Eur(0)), [new CreditNoteLineDto(0, "API calls (graduated)", 480000m, Eur(1200), "480,000 of 1,230,000 calls credited.")],
        Invoice);

    public static RouteHandlerBuilder CreditDocs(this RouteHandlerBuilder endpoint) => endpoint
        .Documented("Issue a credit note",
            "Corrects a finalized invoice without changing it: credits invoice lines (0-based `lineIndex`) by quantity or amount, or a " +
            "`flatAmount`, with a reason code and note. The credit first reduces what is due; `refundAmount` says how much was paid back " +
            "outside Neruba; the rest goes to the customer's wallet. Large credits may need approval in the console. Once per Idempotency-Key.",
            400, 404, 409, 413, 415)
        .Idempotent(required: true).Request(Credit).Response(StatusCodes.Status201Created, Issued);

    public static RouteHandlerBuilder VoidDocs(this RouteHandlerBuilder endpoint) => endpoint
        .Documented("Void an invoice",
            "Voids an unpaid finalized invoice with a reason; its credit use is returned to the wallet. A paid invoice is corrected with a credit " +
            "note instead (409). Once per Idempotency-Key.", 400, 404, 409, 413, 415)
        .Idempotent(required: true).Request(new VoidBody("Issued to the wrong legal entity; reissued as INV-2026-0051."))
        .Ok(Invoice with { Status = "void", AmountDue = Eur(0) });
}
