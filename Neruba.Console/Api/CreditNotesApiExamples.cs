using Neruba.Console.Api.Reference;
using Neruba.Infrastructure.Billing.Corrections;
using static Neruba.Console.Api.CreditNotesApi;
using static Neruba.Console.Api.Reference.ApiExampleValues;

namespace Neruba.Console.Api;

/// <summary>Reference examples for <see cref="CreditNotesApi"/>.</summary>
internal static class CreditNotesApiExamples
{
    public static readonly CreditNoteDto Note = new(Guid.Parse("c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f"), "CN-2026-0007", InvoiceId, InvoiceNumber, CustomerId,
        CustomerName, ExternalId, CreditNoteStatus.Issued, "billing_error", Eur(1200), Eur(1200), Eur(0), Eur(0),
        new DateTimeOffset(2026, 11, 4, 10, 30, 0, TimeSpan.Zero));

    public static readonly PageDto Page = new([Note], 1, 0, 25);

    public static RouteHandlerBuilder ListCreditNotesDocs(this RouteHandlerBuilder endpoint) => endpoint
        .Documented("List credit notes",
            "Credit notes issued against invoices, newest first, paged; filter by `status` (issued, void), `customer`, `invoice`, `reasonCode` " +
            "and `month` (yyyy-MM). Each says how much went to what was due, was refunded or went to the wallet.", 400)
        .Ok(Page);

    public static RouteHandlerBuilder GetCreditNoteDocs(this RouteHandlerBuilder endpoint) => endpoint
        .Documented("Get a credit note", "One credit note by id or number, with its lines, who issued and approved it, and its void if voided.", 404)
        .Ok(new CreditNoteDetailsDto(Note, [new LineDto(0, "API calls (graduated)", 480000m, Eur(1200), "Calls counted twice on 2026-10-14.")],
            "Customer reported double counting, ticket 4712.", "Maria Keller", null, null, null));

    public static RouteHandlerBuilder InvoiceCreditNotesDocs(this RouteHandlerBuilder endpoint) => endpoint
        .Documented("List an invoice's credit notes", "The credit notes issued against one invoice (id or number), paged.", 400, 404)
        .Ok(Page);
}
