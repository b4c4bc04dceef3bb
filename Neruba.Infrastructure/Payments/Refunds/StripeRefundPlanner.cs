using Microsoft.EntityFrameworkCore;
using Neruba.Infrastructure.Billing.Corrections;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Infrastructure.Payments.Refunds;

/// <summary>
/// Decides which part of a credit note's refund goes back through Stripe: up to what the invoice's Stripe payments still hold (each payment
/// minus the refunds already asked of it), newest payment first. The rest is paid back outside Stripe, as before.
/// </summary>
internal static class StripeRefundPlanner
{
    public static async Task<IReadOnlyList<StripeRefundRecord>> PlanAsync(NerubaDbContext db, InvoiceRecord invoice, Guid creditNoteId, long refund,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (refund <= 0)
        {
            return [];
        }

        var payments = await db.Payments.AsNoTracking().Where(p => p.InvoiceId == invoice.Id && p.Method == PaymentMethod.Stripe)
            .OrderByDescending(p => p.RecordedAt).ToListAsync(cancellationToken);
        if (payments.Count == 0)
        {
            return [];
        }

        var paymentIds = payments.Select(p => p.Id).ToList();
        var refunded = await db.StripeRefunds.AsNoTracking().Where(r => paymentIds.Contains(r.PaymentId) && r.Status != RefundStatus.Canceled)
            .GroupBy(r => r.PaymentId).Select(g => new { g.Key, Sum = g.Sum(r => r.Amount) }).ToDictionaryAsync(g => g.Key, g => g.Sum, cancellationToken);
        var plan = new List<StripeRefundRecord>();
        var left = refund;
        foreach (var payment in payments)
        {
            var take = Math.Min(left, payment.Amount - refunded.GetValueOrDefault(payment.Id));
            if (take <= 0)
            {
                continue;
            }

            plan.Add(new StripeRefundRecord
            {
                Id = Guid.NewGuid(), ProjectId = invoice.ProjectId, CustomerId = invoice.CustomerId, InvoiceId = invoice.Id, CreditNoteId = creditNoteId,
                PaymentId = payment.Id, PaymentIntentId = payment.Reference, Currency = invoice.Currency, Amount = take, CreatedAt = now, UpdatedAt = now,
            });
            left -= take;
            if (left == 0)
            {
                break;
            }
        }

        return plan;
    }
}
