using System.Linq.Expressions;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Infrastructure.Payments.Refunds;

public sealed record StripeRefundView(Guid Id, Guid InvoiceId, string InvoiceNumber, Guid CreditNoteId, string CreditNoteNumber, Guid CustomerId,
    string CustomerName, string PaymentIntentId, string Currency, long Amount, RefundStatus Status, int Attempt, string? StripeRefundId,
    string? FailureReason, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    /// <summary>
    /// The project's refunds, newest first; <paramref name="filter"/> filters the records before they are projected (a filter or order on the
    /// projected view cannot be translated to SQL).
    /// </summary>
    internal static IQueryable<StripeRefundView> Query(NerubaDbContext db, Guid projectId, Expression<Func<StripeRefundRecord, bool>>? filter = null) =>
        from r in filter is null ? db.StripeRefunds.AsQueryable() : db.StripeRefunds.Where(filter)
        where r.ProjectId == projectId
        join i in db.Invoices on r.InvoiceId equals i.Id
        join n in db.CreditNotes on r.CreditNoteId equals n.Id
        join c in db.Customers on r.CustomerId equals c.Id
        orderby r.CreatedAt descending
        select new StripeRefundView(r.Id, r.InvoiceId, Billing.Invoices.InvoiceRecord.FormatNumber(i.Sequence), r.CreditNoteId,
            Billing.Corrections.CreditNoteRecord.FormatNumber(n.Sequence), r.CustomerId, c.Name, r.PaymentIntentId, r.Currency, r.Amount, r.Status, r.Attempt,
            r.StripeRefundId, r.FailureReason, r.CreatedAt, r.UpdatedAt);
}
