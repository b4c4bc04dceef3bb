using System.Globalization;
using Neruba.Domain.Access;
using Neruba.Domain.Billing.Corrections;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.UseCases;
using Neruba.Infrastructure.UseCases.Idempotency;

namespace Neruba.Infrastructure.Billing.Corrections;

/// <summary>Credit for one invoice line (0-based index): by quantity or by amount, not both.</summary>
public sealed record LineCreditInput(int LineIndex, string? Quantity, string? Amount);

/// <summary>What a credit note would be: its lines, total and where the money goes, and the invoice before and after.</summary>
public sealed record CreditNotePreview(Guid InvoiceId, string InvoiceNumber, string Currency, IReadOnlyList<CreditNoteLine> Lines, long Total,
    CreditAllocation Allocation, long AmountDueBefore, long AmountDueAfter, long CreditableBefore, long CreditableAfter);

public sealed record CreditNoteIssued(Guid Id, string Number, CreditNotePreview Effect, InvoiceSummaryState Invoice);

/// <summary>
/// Finance credits an invoice: per line (quantity or amount) and/or a flat amount, with a reason code. The total first reduces what is
/// still due; of the rest, the refund amount asked for goes back through Stripe as far as Stripe paid the invoice (out of band for the rest), and the remainder goes to the customer's wallet.
/// Through the API it runs under an Idempotency-Key scoped to the invoice.
/// </summary>
public sealed class IssueCreditNote(Hangfire.IBackgroundJobClient jobs) : UseCase<IssueCreditNote.Request, CreditNoteIssued>, IIdempotentUseCase<IssueCreditNote.Request>
{
    public sealed record Request(string? Invoice, IReadOnlyList<LineCreditInput>? Lines, string? FlatAmount, string? RefundAmount, string? ReasonCode, string? Note);

    public override AccessRule Access { get; } = new(Permission.ManageMoney, Domain.Access.ApiScopes.BillingWrite);

    public override ValidationErrors Validate(Request request) => CreditNotePlanner.Validate(request);

    public async Task<IdempotencyScope?> ResolveIdempotencyScopeAsync(UseCaseContext context, Request request, CancellationToken cancellationToken) =>
        await CorrectionSupport.FindInvoiceAsync(context, request.Invoice, cancellationToken) is { } invoice
            ? new IdempotencyScope(invoice.Id.ToString(), request with { Invoice = null, Lines = request.Lines?.ToList() is { } lines ? lines : null })
            : null;

    public override async Task<UseCaseResult<CreditNoteIssued>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var (invoice, plan) = await CreditNotePlanner.PlanAsync(context, request, cancellationToken);
        if (!plan.Succeeded)
        {
            return plan.As<CreditNoteIssued>();
        }

        var before = CorrectionSupport.AuditState(invoice!);
        var preview = plan.Value!;
        var note = await CreditNoteIssuer.IssueAsync(context.Db, invoice!, preview.Lines, preview.Allocation, request.ReasonCode!, request.Note?.Trim() ?? "",
            new Issuer(context.Actor.Kind, context.Actor.Id, context.Actor.PersonId, context.Actor.Name), context.Now, $"manual:{Guid.NewGuid():N}", null,
            cancellationToken);
        context.Audit("credit_note.issued", "invoice", invoice!.Number, before, new
        {
            CreditNote = note.Number, note.Currency, note.Total, note.ToDue, note.Refunded, note.ToWallet, Reason = note.ReasonCode,
            Invoice = CorrectionSupport.AuditState(invoice),
        }, note.Note.Length > 0 ? note.Note : null);
        foreach (var refundId in context.Db.StripeRefunds.Local.Where(r => r.CreditNoteId == note.Id).Select(r => r.Id).ToList())
        {
            // The refund part Stripe paid in goes back through Stripe's Refund API; the ledger settles when its webhook confirms.
            context.AfterCommit(() => Hangfire.BackgroundJobClientExtensions.Enqueue<Payments.Refunds.StripeRefundJob>(jobs,
                job => job.RunAsync(refundId, CancellationToken.None)));
        }

        return UseCaseResult<CreditNoteIssued>.Ok(new CreditNoteIssued(note.Id, note.Number, preview, InvoiceSummaryState.Of(invoice)));
    }
}

/// <summary>What a credit note would do, for the console's live preview. Changes nothing.</summary>
public sealed class PreviewCreditNote : UseCase<IssueCreditNote.Request, CreditNotePreview>
{
    public override AccessRule Access { get; } = new(Permission.ManageMoney);

    public override ValidationErrors Validate(IssueCreditNote.Request request) => CreditNotePlanner.Validate(request, previewOnly: true);

    public override async Task<UseCaseResult<CreditNotePreview>> HandleAsync(UseCaseContext context, IssueCreditNote.Request request,
        CancellationToken cancellationToken) => (await CreditNotePlanner.PlanAsync(context, request, cancellationToken)).Plan;
}

/// <summary>Turns a credit note request into lines and an allocation against the invoice as it stands, or the rule that refuses it.</summary>
internal static class CreditNotePlanner
{
    public static ValidationErrors Validate(IssueCreditNote.Request request, bool previewOnly = false)
    {
        var errors = new ValidationErrors();
        if (!previewOnly && !CreditNoteReasons.IsKnown(request.ReasonCode))
        {
            errors.Add("reasonCode", $"Choose a reason code: {string.Join(", ", CreditNoteReasons.All.Keys)}.");
        }

        errors.Optional("note", request.Note, CreditNoteRecord.MaxNoteLength, "The note", multiline: true);
        if (!previewOnly && request.ReasonCode == "other" && string.IsNullOrWhiteSpace(request.Note))
        {
            errors.Add("note", "With the reason 'other', say why in the note.");
        }

        if ((request.Lines is null || request.Lines.Count == 0) && string.IsNullOrWhiteSpace(request.FlatAmount))
        {
            errors.Add("lines", "Choose the lines to credit, or enter a flat amount.");
        }

        if (request.Lines is { } lines && lines.GroupBy(l => l.LineIndex).Any(g => g.Count() > 1))
        {
            errors.Add("lines", "Each invoice line can appear once in a credit note.");
        }

        return errors;
    }

    public static async Task<(InvoiceRecord? Invoice, UseCaseResult<CreditNotePreview> Plan)> PlanAsync(UseCaseContext context, IssueCreditNote.Request request,
        CancellationToken cancellationToken)
    {
        var invoice = await CorrectionSupport.FindInvoiceAsync(context, request.Invoice, cancellationToken);
        if (invoice is null)
        {
            return (null, UseCaseResult<CreditNotePreview>.NotFound($"No invoice '{request.Invoice}' in this project."));
        }

        if (invoice.Status == InvoiceStatus.Void)
        {
            return (invoice, UseCaseResult<CreditNotePreview>.Conflict($"{invoice.Number} is void: nothing on it can be credited."
                + (invoice.ReplacedByInvoiceId is null ? "" : " Credit the invoice that replaced it instead.")));
        }

        if (invoice.Status == InvoiceStatus.Uncollectible)
        {
            // What was due is already written off: a credit note could only fund the wallet of a customer who never paid.
            return (invoice, UseCaseResult<CreditNotePreview>.Conflict($"{invoice.Number} was written off as uncollectible; a credit note on it would only "
                + "put money in the customer's wallet. Nothing was issued."));
        }

        if (await Payments.Collection.CollectionAttempts.UnderWayRefusalAsync(context.Db, invoice, cancellationToken) is { } underWay)
        {
            return (invoice, UseCaseResult<CreditNotePreview>.Conflict(underWay));
        }

        var credited = await CorrectionSupport.LineCreditsAsync(context.Db, invoice.Id, cancellationToken);
        var lines = new List<CreditNoteLine>();
        foreach (var input in request.Lines ?? [])
        {
            var (line, error) = LineCredit(invoice, input, credited);
            if (line is null)
            {
                return (invoice, UseCaseResult<CreditNotePreview>.Invalid("lines", error!));
            }

            lines.Add(line);
        }

        if (!string.IsNullOrWhiteSpace(request.FlatAmount))
        {
            if (CorrectionSupport.ParsePositive(request.FlatAmount, invoice.Currency, "The flat amount", out var error) is not { } flat)
            {
                return (invoice, UseCaseResult<CreditNotePreview>.Invalid("flatAmount", error!));
            }

            lines.Add(new CreditNoteLine(null, "Credit", null, flat, "A flat amount off the invoice's total"));
        }

        var refund = 0L;
        if (!string.IsNullOrWhiteSpace(request.RefundAmount))
        {
            if (CorrectionSupport.ParsePositive(request.RefundAmount, invoice.Currency, "The refund", out var error) is not { } parsed)
            {
                return (invoice, UseCaseResult<CreditNotePreview>.Invalid("refundAmount", error!));
            }

            refund = parsed;
        }

        var total = lines.Aggregate(0L, (sum, l) => checked(sum + l.Amount));
        var creditable = CorrectionSupport.Creditable(invoice);
        if (CreditNoteRules.Allocate(creditable, total, refund, out var refusal) is not { } allocation)
        {
            return (invoice, UseCaseResult<CreditNotePreview>.Invalid(refund > 0 && total <= creditable.Total - creditable.Credited ? "refundAmount" : "total", refusal!));
        }

        return (invoice, UseCaseResult<CreditNotePreview>.Ok(new CreditNotePreview(invoice.Id, invoice.Number, invoice.Currency, lines, total, allocation,
            invoice.AmountDue, invoice.AmountDue - allocation.ToDue, creditable.Total - creditable.Credited, creditable.Total - creditable.Credited - total)));
    }

    private static (CreditNoteLine? Line, string? Error) LineCredit(InvoiceRecord invoice, LineCreditInput input, Dictionary<int, LineCredited> credited)
    {
        var line = CorrectionSupport.Line(invoice, input.LineIndex);
        if (line is null)
        {
            return (null, $"{invoice.Number} has no line {input.LineIndex + 1}.");
        }

        var number = input.LineIndex + 1;
        var before = credited.GetValueOrDefault(input.LineIndex, new LineCredited(0, 0));
        var byQuantity = !string.IsNullOrWhiteSpace(input.Quantity);
        if (byQuantity == !string.IsNullOrWhiteSpace(input.Amount))
        {
            return (null, $"Line {number} ('{line.Description}'): credit it by quantity or by amount, not both or neither.");
        }

        if (byQuantity)
        {
            if (!decimal.TryParse(input.Quantity, NumberStyles.Number, CultureInfo.InvariantCulture, out var quantity))
            {
                return (null, $"Line {number} ('{line.Description}'): '{input.Quantity}' is not a quantity.");
            }

            var amount = CreditNoteRules.LineAmountForQuantity(line, quantity, before, invoice.Currency, out var refusal);
            if (refusal is not null)
            {
                return (null, $"Line {number}: {refusal}");
            }

            var unit = (decimal)line.Amount / line.Quantity / Domain.Money.Currency.Of(invoice.Currency).MinorPerMajor;
            return (new CreditNoteLine(input.LineIndex, line.Description, quantity, amount,
                $"{Format(quantity)} of {Format(line.Quantity)} units at {Format(decimal.Round(unit, 6))} {invoice.Currency} each (line amount ÷ quantity), rounded once"
                + (quantity == line.Quantity - before.Quantity && before.Amount > 0 ? "; the last units take what is left of the line" : "")), null);
        }

        if (CorrectionSupport.ParsePositive(input.Amount, invoice.Currency, $"Line {number}", out var parseError) is not { } credit)
        {
            return (null, parseError);
        }

        return CreditNoteRules.CheckLineAmount(line, number, credit, before, invoice.Currency) is { } tooMuch
            ? (null, tooMuch)
            : (new CreditNoteLine(input.LineIndex, line.Description, null, credit,
                $"{CorrectionSupport.Show(credit, invoice.Currency)} of the line's {CorrectionSupport.Show(line.Amount, invoice.Currency)}"), null);
    }

    private static string Format(decimal value) => value.ToString("0.############", CultureInfo.InvariantCulture);
}
