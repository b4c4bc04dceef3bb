using System.Linq.Expressions;
using Neruba.Infrastructure.Billing.Corrections;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Infrastructure.Payments.Refunds;

public sealed record StripeRefundView(Guid Id, Guid InvoiceId, string InvoiceNumber, Guid CreditNoteId, string CreditNoteNumber, Guid CustomerId,
    string CustomerName, string PaymentIntentId, string Currency, long Amount, RefundStatus Status, int Attempt, string? StripeRefundId,
    string? FailureReason, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    /// <summary>A project's refunds with the numbers and names they are shown with; filter and order on the row, then select <see cref="FromRow"/>.</summary>
    internal static IQueryable<StripeRefundRow> Rows(NerubaDbContext db, Guid projectId) =>
        from r in db.StripeRefunds.AsQueryable()
        join i in db.Invoices on r.InvoiceId equals i.Id
        join n in db.CreditNotes on r.CreditNoteId equals n.Id
        join c in db.Customers on r.CustomerId equals c.Id
        where r.ProjectId == projectId
        select new StripeRefundRow { Refund = r, InvoiceSequence = i.Sequence, NoteSequence = n.Sequence, CustomerName = c.Name };

    internal static readonly Expression<Func<StripeRefundRow, StripeRefundView>> FromRow = x => new StripeRefundView(x.Refund.Id, x.Refund.InvoiceId,
        InvoiceRecord.FormatNumber(x.InvoiceSequence), x.Refund.CreditNoteId, CreditNoteRecord.FormatNumber(x.NoteSequence), x.Refund.CustomerId,
        x.CustomerName, x.Refund.PaymentIntentId, x.Refund.Currency, x.Refund.Amount, x.Refund.Status, x.Refund.Attempt, x.Refund.StripeRefundId,
        x.Refund.FailureReason, x.Refund.CreatedAt, x.Refund.UpdatedAt);
}

internal sealed class StripeRefundRow
{
    public StripeRefundRecord Refund { get; init; } = null!;
    public long InvoiceSequence { get; init; }
    public long NoteSequence { get; init; }
    public string CustomerName { get; init; } = "";
}
