using Microsoft.EntityFrameworkCore;
using Neruba.Infrastructure.Billing.Corrections;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Infrastructure.Payments.Refunds;

/// <summary>
/// Decides which part of a credit note's refund goes back through Stripe: up to what the invoice's Stripe payments still hold (each payment
/// minus the refunds already asked of it), newest payment first, leaving out charges under a chargeback. The rest is paid back outside Stripe.
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

        // Stripe refuses to refund a charge under a chargeback, and a lost one has already gone back to the cardholder: only an inquiry or a won
        // dispute leaves the charge refundable.
        var disputed = await db.Disputes.AsNoTracking().Where(d => d.ProjectId == invoice.ProjectId && d.InvoiceId == invoice.Id
                && d.Status != Disputes.DisputeStatus.Won && d.Status != Disputes.DisputeStatus.WarningNeedsResponse
                && d.Status != Disputes.DisputeStatus.WarningUnderReview && d.Status != Disputes.DisputeStatus.WarningClosed)
            .Select(d => d.ChargeId).ToListAsync(cancellationToken);
        payments.RemoveAll(p => p.StripeChargeId is { } charge && disputed.Contains(charge));
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
