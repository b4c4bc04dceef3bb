using Neruba.Domain.Access;
using Neruba.Domain.Money;
using Neruba.Infrastructure.Billing.Corrections;
using Neruba.Infrastructure.UseCases;
using static Neruba.Console.Api.CreditsApi;

namespace Neruba.Console.Api;

/// <summary><c>/api/v1/credit-notes</c> and <c>/api/v1/invoices/{id}/credit-notes</c>: the credit notes issued, read only.</summary>
public static class CreditNotesApi
{
    public sealed record CreditNoteDto(Guid Id, string Number, Guid InvoiceId, string InvoiceNumber, Guid CustomerId, string CustomerName, string CustomerExternalId,
        CreditNoteStatus Status, string ReasonCode, AmountDto Total, AmountDto ToDue, AmountDto Refunded, AmountDto ToWallet, DateTimeOffset IssuedAt)
    {
        public static CreditNoteDto From(CreditNoteSummary n)
        {
            var currency = Currency.Of(n.Currency);
            AmountDto Amount(long minor) => AmountDto.From(new MoneyAmount(minor, currency));
            return new(n.Id, n.Number, n.InvoiceId, n.InvoiceNumber, n.CustomerId, n.CustomerName, n.CustomerExternalId, n.Status, n.ReasonCode, Amount(n.Total),
                Amount(n.ToDue), Amount(n.Refunded), Amount(n.ToWallet), n.IssuedAt);
        }
    }

    public sealed record LineDto(int? InvoiceLineIndex, string Description, decimal? Quantity, AmountDto Amount, string Explanation);

    public sealed record VoidDto(DateTimeOffset At, string By, string Reason);

    public sealed record CreditNoteDetailsDto(CreditNoteDto Summary, IReadOnlyList<LineDto> Lines, string Note, string IssuedBy, string? ApprovedBy, Guid? RerunId,
        VoidDto? Void);

    public sealed record PageDto(IReadOnlyList<CreditNoteDto> Items, int Total, int Page, int PageSize);

    public static void MapCreditNotesApi(this RouteGroupBuilder api)
    {
        var notes = api.MapGroup("/credit-notes").WithTags("Credit notes");
        notes.MapGet("/", (HttpContext http, ListCreditNotes useCase, UseCaseRunner runner, string? status, string? customer, string? invoice, string? reasonCode,
            string? month, int? page, int? pageSize) => ListAsync(http, useCase, runner, status, customer, invoice, reasonCode, month, page, pageSize))
            .RequireScope(ApiScopes.BillingRead).ListCreditNotesDocs();
        notes.MapGet("/{key}", GetAsync).RequireScope(ApiScopes.BillingRead).GetCreditNoteDocs();
        api.MapGet("/invoices/{id}/credit-notes", (string id, HttpContext http, ListCreditNotes useCase, UseCaseRunner runner, int? page, int? pageSize) =>
            ListAsync(http, useCase, runner, null, null, id, null, null, page, pageSize)).WithTags("Credit notes").RequireScope(ApiScopes.BillingRead).InvoiceCreditNotesDocs();
    }

    private static async Task<IResult> GetAsync(string key, HttpContext http, GetCreditNote useCase, UseCaseRunner runner)
    {
        var result = await runner.RunAsync(useCase, ApiActor.From(http.User)!, new GetCreditNote.Request(key), http.RequestAborted);
        return ApiProblems.From(result, note =>
        {
            var currency = Currency.Of(note.Summary.Currency);
            var lines = note.Lines.Select(l => new LineDto(l.LineIndex, l.Description, l.Quantity, AmountDto.From(new MoneyAmount(l.Amount, currency)), l.Explanation));
            var voided = note.Void is { } v ? new VoidDto(v.At, v.ByName, v.Reason) : null;
            return Results.Ok(new CreditNoteDetailsDto(CreditNoteDto.From(note.Summary), lines.ToList(), note.Note, note.IssuedByName, note.ApprovedByName,
                note.RerunId, voided));
        });
    }

    private static async Task<IResult> ListAsync(HttpContext http, ListCreditNotes useCase, UseCaseRunner runner, string? status, string? customer,
        string? invoice, string? reasonCode, string? month, int? page, int? pageSize)
    {
        if (ApiQuery.Enum<CreditNoteStatus>(status, "status", out var statusFilter) is { } badStatus)
        {
            return badStatus;
        }

        if (ApiQuery.Month(month, "month", out var monthStart) is { } badMonth)
        {
            return badMonth;
        }

        var request = new ListCreditNotes.Request(statusFilter, customer, invoice, reasonCode, monthStart, page ?? 0, pageSize ?? 25);
        var result = await runner.RunAsync(useCase, ApiActor.From(http.User)!, request, http.RequestAborted);
        return ApiProblems.From(result, notes => Results.Ok(new PageDto(notes.Items.Select(CreditNoteDto.From).ToList(), notes.Total, notes.Page, notes.PageSize)));
    }
}
