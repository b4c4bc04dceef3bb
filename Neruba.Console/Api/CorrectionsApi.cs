using Neruba.Domain.Access;
using Neruba.Domain.Money;
using Neruba.Infrastructure.Billing.Corrections;
using Neruba.Infrastructure.UseCases;
using static Neruba.Console.Api.CreditsApi;

namespace Neruba.Console.Api;

/// <summary><c>/api/v1/invoices/{id}/credit-notes</c> and <c>/void</c>: correct a finalized invoice, once per Idempotency-Key.</summary>
public static class CorrectionsApi
{
    /// <summary>One invoice line (0-based) credited by quantity or by amount.</summary>
    public sealed record LineBody(int? LineIndex, JsonAmount? Quantity, JsonAmount? Amount);

    public sealed record CreditNoteBody(List<LineBody>? Lines, JsonAmount? FlatAmount, JsonAmount? RefundAmount, string? ReasonCode, string? Note);

    public sealed record VoidBody(string? Reason);

    public sealed record CreditNoteLineDto(int? LineIndex, string Description, decimal? Quantity, AmountDto Amount, string Explanation);

    /// <param name="ToDue">The part that reduced what was still due on the invoice.</param>
    /// <param name="Refunded">The part paid back outside Neruba.</param>
    /// <param name="ToWallet">The part credited to the customer's wallet.</param>
    public sealed record AllocationDto(AmountDto ToDue, AmountDto Refunded, AmountDto ToWallet);

    public sealed record InvoiceStateDto(Guid Id, string Number, string Status, AmountDto Total, AmountDto AmountDue, AmountDto Credited, AmountDto Paid,
        AmountDto Refunded, AmountDto WrittenOff)
    {
        public static InvoiceStateDto From(InvoiceSummaryState s) => new(s.Id, s.Number, Camel(s.Status.ToString()), Amount(s.Subtotal, s.Currency),
            Amount(s.AmountDue, s.Currency), Amount(s.CreditedTotal, s.Currency), Amount(s.PaidTotal, s.Currency), Amount(s.RefundedTotal, s.Currency),
            Amount(s.WrittenOffTotal, s.Currency));
    }

    public sealed record CreditNoteDto(Guid Id, string Number, AmountDto Total, AllocationDto Allocation, IReadOnlyList<CreditNoteLineDto> Lines,
        InvoiceStateDto Invoice)
    {
        public static CreditNoteDto From(CreditNoteIssued issued)
        {
            var (effect, currency) = (issued.Effect, issued.Effect.Currency);
            return new(issued.Id, issued.Number, Amount(effect.Total, currency),
                new AllocationDto(Amount(effect.Allocation.ToDue, currency), Amount(effect.Allocation.Refunded, currency), Amount(effect.Allocation.ToWallet, currency)),
                effect.Lines.Select(l => new CreditNoteLineDto(l.LineIndex, l.Description, l.Quantity, Amount(l.Amount, currency), l.Explanation)).ToList(),
                InvoiceStateDto.From(issued.Invoice));
        }
    }

    public static void MapCorrectionsApi(this RouteGroupBuilder api)
    {
        var invoices = api.MapGroup("/invoices/{id}").WithTags("Corrections");
        invoices.MapPost("/credit-notes", CreditAsync).RequireScope(ApiScopes.BillingWrite).CreditDocs();
        invoices.MapPost("/void", VoidAsync).RequireScope(ApiScopes.BillingWrite).VoidDocs();
    }

    private static async Task<IResult> CreditAsync(string id, HttpContext http, IssueCreditNote useCase, UseCaseRunner runner)
    {
        var (body, problem) = await ApiJson.ReadAsync<CreditNoteBody>(http.Request);
        if (problem is not null)
        {
            return problem;
        }

        // A line without its index names no line: -1 is refused by the use case in words ("has no line 0").
        var lines = body!.Lines?.Select(l => new LineCreditInput(l.LineIndex ?? -1, l.Quantity?.Text, l.Amount?.Text)).ToList();
        var request = new IssueCreditNote.Request(id, lines, body.FlatAmount?.Text, body.RefundAmount?.Text, body.ReasonCode, body.Note);
        return await ApiIdempotency.RunOnceAsync(http, runner, useCase, ApiActor.From(http.User)!, request,
            issued => (StatusCodes.Status201Created, CreditNoteDto.From(issued)));
    }

    private static async Task<IResult> VoidAsync(string id, HttpContext http, VoidInvoice useCase, UseCaseRunner runner)
    {
        var (body, problem) = await ApiJson.ReadAsync<VoidBody>(http.Request);
        return problem ?? await ApiIdempotency.RunOnceAsync(http, runner, useCase, ApiActor.From(http.User)!, new VoidInvoice.Request(id, body!.Reason),
            voided => (StatusCodes.Status200OK, InvoiceStateDto.From(voided)));
    }

    private static AmountDto Amount(long minor, string currency) => AmountDto.From(new MoneyAmount(minor, Currency.Of(currency)));
}
