using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Ledger;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Billing.Corrections;

public sealed record PaymentView(Guid Id, Guid InvoiceId, string InvoiceNumber, PaymentMethod Method, string Currency, long Amount, DateOnly ReceivedOn,
    string Reference, string RecordedByName, DateTimeOffset RecordedAt, long AmountDueAfter, InvoiceStatus InvoiceStatus);

/// <summary>
/// Finance records money received outside Neruba (a bank transfer): amount, date and the bank's reference. Never more than is due, never
/// the same reference twice on one invoice; the invoice is paid once nothing is left.
/// </summary>
public sealed class RecordPayment : UseCase<RecordPayment.Request, PaymentView>
{
    public sealed record Request(string? Invoice, string? Amount, DateOnly? ReceivedOn, string? Reference);

    public override AccessRule Access { get; } = new(Permission.ManageMoney);

    public override ValidationErrors Validate(Request request)
    {
        var errors = new ValidationErrors().Required("reference", request.Reference, PaymentRecord.MaxReferenceLength, "The bank reference");
        if (request.ReceivedOn is null)
        {
            errors.Add("receivedOn", "Enter the date the money arrived.");
        }

        return errors;
    }

    public override async Task<UseCaseResult<PaymentView>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var invoice = await CorrectionSupport.FindInvoiceAsync(context, request.Invoice, cancellationToken);
        if (invoice is null)
        {
            return UseCaseResult<PaymentView>.NotFound($"No invoice '{request.Invoice}' in this project.");
        }

        if (invoice.Status is InvoiceStatus.Void or InvoiceStatus.Uncollectible)
        {
            return UseCaseResult<PaymentView>.Conflict(invoice.Status == InvoiceStatus.Void
                ? $"{invoice.Number} is void: nothing is owed on it."
                : $"{invoice.Number} was written off as uncollectible; money received for it cannot be recorded against it.");
        }

        if (invoice.AmountDue <= 0)
        {
            return UseCaseResult<PaymentView>.Conflict($"Nothing is due on {invoice.Number}.");
        }

        if (await Payments.Collection.CollectionAttempts.UnderWayRefusalAsync(context.Db, invoice, cancellationToken) is { } underWay)
        {
            return UseCaseResult<PaymentView>.Conflict(underWay);
        }

        if (CorrectionSupport.ParsePositive(request.Amount, invoice.Currency, "The amount", out var error) is not { } amount)
        {
            return UseCaseResult<PaymentView>.Invalid("amount", error!);
        }

        if (amount > invoice.AmountDue)
        {
            return UseCaseResult<PaymentView>.Invalid("amount",
                $"Only {CorrectionSupport.Show(invoice.AmountDue, invoice.Currency)} is due on {invoice.Number}; record at most that.");
        }

        var today = DateOnly.FromDateTime(context.Now.UtcDateTime);
        if (request.ReceivedOn!.Value > today.AddDays(1))
        {
            return UseCaseResult<PaymentView>.Invalid("receivedOn", "The date is in the future; enter the day the money arrived.");
        }

        if (request.ReceivedOn.Value < DateOnly.FromDateTime(invoice.PeriodStart.UtcDateTime).AddYears(-1))
        {
            return UseCaseResult<PaymentView>.Invalid("receivedOn", "The date is more than a year before the invoice's period; check the year.");
        }

        var reference = request.Reference!.Trim();
        var references = await context.Db.Payments.Where(p => p.InvoiceId == invoice.Id).Select(p => p.Reference).ToListAsync(cancellationToken);
        if (references.Contains(reference, StringComparer.OrdinalIgnoreCase))
        {
            return UseCaseResult<PaymentView>.Conflict($"A payment with reference '{reference}' is already recorded on {invoice.Number}.");
        }

        var before = CorrectionSupport.AuditState(invoice);
        var payment = new PaymentRecord
        {
            Id = Guid.NewGuid(), ProjectId = context.ProjectId, CustomerId = invoice.CustomerId, InvoiceId = invoice.Id, Method = PaymentMethod.BankTransfer,
            Currency = invoice.Currency, Amount = amount, ReceivedOn = request.ReceivedOn.Value, Reference = reference, RecordedById = context.Actor.PersonId,
            RecordedByName = context.Actor.Name, RecordedAt = context.Now,
        };
        var receivable = await context.Db.AccountAsync(context.ProjectId, AccountKind.CustomerReceivable, invoice.Currency, invoice.CustomerId, cancellationToken);
        var bank = await context.Db.AccountAsync(context.ProjectId, AccountKind.BankReceipts, invoice.Currency, null, cancellationToken);
        var entry = CorrectionPostings.Payment(CorrectionSupport.Posting(context, $"payment:{payment.Id}", $"Bank transfer {reference} for {invoice.Number}"),
            bank, receivable, amount, InvoicePosting.Link(invoice.Id));
        payment.EntryId = entry.Id;
        context.Db.JournalEntries.Add(entry);
        context.Db.Payments.Add(payment);
        invoice.PaidTotal += amount;
        invoice.Settle();
        context.Audit("invoice.payment_recorded", "invoice", invoice.Number, before, CorrectionSupport.AuditState(invoice), $"Bank transfer {reference}");
        return UseCaseResult<PaymentView>.Ok(new PaymentView(payment.Id, invoice.Id, invoice.Number, payment.Method, payment.Currency, amount, payment.ReceivedOn,
            reference, payment.RecordedByName, payment.RecordedAt, invoice.AmountDue, invoice.Status));
    }
}

/// <summary>Finance writes off what is still due on an invoice the customer will not pay: a write-off entry, the invoice marked uncollectible.</summary>
public sealed class MarkInvoiceUncollectible : UseCase<MarkInvoiceUncollectible.Request, InvoiceSummaryState>
{
    public sealed record Request(string? Invoice, string? Reason);

    public override AccessRule Access { get; } = new(Permission.ManageMoney);

    public override ValidationErrors Validate(Request request) =>
        new ValidationErrors().Required("reason", request.Reason, CreditNoteRecord.MaxNoteLength, "A reason", multiline: true);

    public override async Task<UseCaseResult<InvoiceSummaryState>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var invoice = await CorrectionSupport.FindInvoiceAsync(context, request.Invoice, cancellationToken);
        if (invoice is null)
        {
            return UseCaseResult<InvoiceSummaryState>.NotFound($"No invoice '{request.Invoice}' in this project.");
        }

        if (invoice.Status != InvoiceStatus.Finalized || invoice.AmountDue <= 0)
        {
            return UseCaseResult<InvoiceSummaryState>.Conflict(invoice.Status switch
            {
                InvoiceStatus.Void => $"{invoice.Number} is void: nothing is owed on it.",
                InvoiceStatus.Uncollectible => $"{invoice.Number} is already marked uncollectible.",
                _ => $"Nothing is due on {invoice.Number}, so there is nothing to write off.",
            });
        }

        if (await Payments.Collection.CollectionAttempts.UnderWayRefusalAsync(context.Db, invoice, cancellationToken) is { } underWay)
        {
            return UseCaseResult<InvoiceSummaryState>.Conflict(underWay);
        }

        var before = CorrectionSupport.AuditState(invoice);
        var reason = request.Reason!.Trim();
        var receivable = await context.Db.AccountAsync(context.ProjectId, AccountKind.CustomerReceivable, invoice.Currency, invoice.CustomerId, cancellationToken);
        var badDebt = await context.Db.AccountAsync(context.ProjectId, AccountKind.BadDebt, invoice.Currency, null, cancellationToken);
        context.Db.JournalEntries.Add(CorrectionPostings.WriteOff(CorrectionSupport.Posting(context, $"write-off:{invoice.Id}", $"{invoice.Number} uncollectible: {reason}"),
            badDebt, receivable, invoice.AmountDue, InvoicePosting.Link(invoice.Id)));
        invoice.WrittenOffTotal += invoice.AmountDue;
        invoice.Status = InvoiceStatus.Uncollectible;
        invoice.Settle();
        context.Audit("invoice.uncollectible", "invoice", invoice.Number, before, CorrectionSupport.AuditState(invoice), reason);
        return UseCaseResult<InvoiceSummaryState>.Ok(InvoiceSummaryState.Of(invoice));
    }
}

/// <summary>An invoice's state after a correction, for the console's message and the API's answer.</summary>
public sealed record InvoiceSummaryState(Guid Id, string Number, InvoiceStatus Status, string Currency, long Subtotal, long AmountDue, long CreditedTotal,
    long PaidTotal, long RefundedTotal, long WrittenOffTotal)
{
    public static InvoiceSummaryState Of(InvoiceRecord invoice) => new(invoice.Id, invoice.Number, invoice.Status, invoice.Currency, invoice.Subtotal,
        invoice.AmountDue, invoice.CreditedTotal, invoice.PaidTotal, invoice.RefundedTotal, invoice.WrittenOffTotal);
}
