using Hangfire;
using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Billing.Corrections;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Ledger;
using Neruba.Infrastructure.Payments.Fees;
using Neruba.Infrastructure.Payments.Webhooks;

namespace Neruba.Infrastructure.Payments.Collection;

/// <summary>
/// PaymentIntent events for invoice collection. <c>payment_intent.succeeded</c> posts the payment (clearing → receivable; anything beyond what
/// is still due to the wallet) and marks the invoice paid; <c>payment_failed</c> records the failure in words and schedules the next retry.
/// Success is final: a failure that arrives after it changes nothing.
/// </summary>
internal static class CollectionEvents
{
    public static async Task<StripeEventOutcome> HandleAsync(StripeEventContext context, IBackgroundJobClient jobs, CancellationToken cancellationToken)
    {
        var intentId = context.Object.Text("id");
        if (context.Object.Metadata("neruba_checkout") is not null)
        {
            return StripeEventOutcome.Ignored("This payment belongs to a credit pack checkout; its checkout events post it.");
        }

        var attemptId = context.Object.MetadataId("neruba_attempt");
        var attempt = await context.Db.CollectionAttempts.FirstOrDefaultAsync(a => a.ProjectId == context.ProjectId
            && (a.PaymentIntentId == intentId || a.Id == attemptId), cancellationToken);
        if (attempt is null)
        {
            return StripeEventOutcome.Ignored($"PaymentIntent {intentId} was not created by Neruba's invoice collection; nothing posted.");
        }

        attempt.PaymentIntentId ??= intentId;
        var invoice = await context.Db.Invoices.SingleAsync(i => i.Id == attempt.InvoiceId, cancellationToken);
        switch (context.Event.Type)
        {
            case "payment_intent.succeeded":
                return await PostPaymentAsync(context, attempt, invoice, jobs, cancellationToken);
            case "payment_intent.payment_failed" when attempt.Status == CollectionStatus.Succeeded:
                return StripeEventOutcome.Done($"Attempt {attempt.Number} on {invoice.Number} already succeeded; this earlier failure changes nothing.");
            case "payment_intent.payment_failed":
                var error = context.Object.Child("last_payment_error");
                var failedNow = attempt.Status != CollectionStatus.Failed;
                CollectionAttempts.Fail(attempt, error?.Text("decline_code") ?? error?.Text("code") ?? "payment_failed",
                    CollectionAttempts.FailureWords(error?.Text("type"), error?.Text("decline_code"), error?.Text("message")), context.Now);
                var retry = await CollectionAttempts.ScheduleRetryAsync(context.Db, attempt, invoice, context.Account, context.Now, context.AfterCommit, jobs,
                    cancellationToken);
                if (failedNow)
                {
                    context.Audit("invoice.collection_failed", "invoice", invoice.Number, null, new { attempt.Number, attempt.FailureCode },
                        attempt.FailureMessage ?? "Payment failed");
                }

                return StripeEventOutcome.Done($"Attempt {attempt.Number} on {invoice.Number} failed: {attempt.FailureMessage} {retry}");
            case "payment_intent.processing":
                if (attempt.Status == CollectionStatus.Requested)
                {
                    attempt.Status = CollectionStatus.Processing;
                    attempt.Version++;
                }

                return StripeEventOutcome.Done($"Attempt {attempt.Number} on {invoice.Number} is processing at Stripe.");
            default:
                if (attempt.Status is CollectionStatus.Requested or CollectionStatus.Processing)
                {
                    attempt.Status = CollectionStatus.Canceled;
                    attempt.CompletedAt = context.Now;
                    attempt.Version++;
                }

                return StripeEventOutcome.Done($"PaymentIntent {intentId} was canceled in Stripe.");
        }
    }

    private static async Task<StripeEventOutcome> PostPaymentAsync(StripeEventContext context, CollectionAttemptRecord attempt, InvoiceRecord invoice,
        IBackgroundJobClient jobs, CancellationToken cancellationToken)
    {
        var intentId = attempt.PaymentIntentId!;
        var key = $"stripe-payment:{intentId}";
        if (await context.Db.EntryByKeyAsync(context.ProjectId, key, cancellationToken) is not null)
        {
            return StripeEventOutcome.Done($"The payment {intentId} on {invoice.Number} was already posted; nothing posted twice.");
        }

        var received = context.Object.Number("amount_received") ?? context.Object.Number("amount") ?? 0;
        if (received <= 0 || !string.Equals(context.Object.Currency, invoice.Currency, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Stripe reports {received} {context.Object.Currency} received on {intentId}, which does not fit "
                + $"{invoice.Number} ({invoice.Currency}); nothing was posted. Check the PaymentIntent in Stripe.");
        }

        var db = context.Db;
        var before = CorrectionSupport.AuditState(invoice);
        var (_, toReceivable) = await StripeInvoicePayment.PostAsync(db, context.Posting(key, $"Stripe payment {intentId} for {invoice.Number}"),
            invoice.CustomerId, invoice.Currency, invoice, received, InvoicePosting.Link(invoice.Id),
            new StripePaymentSource(intentId, context.Object.Text("latest_charge"), DateOnly.FromDateTime(context.Event.StripeCreatedAt.UtcDateTime),
                StripeEventContext.ActorId, StripeEventContext.ActorName, context.Now), cancellationToken);

        attempt.Status = CollectionStatus.Succeeded;
        attempt.ChargeId ??= context.Object.Text("latest_charge");
        attempt.FailureCode = null;
        attempt.FailureMessage = null;
        attempt.CompletedAt = context.Now;
        attempt.Version++;
        await CollectionAttempts.CancelScheduledAsync(db, invoice.Id, context.Now, cancellationToken);
        var overpaid = received - toReceivable;
        var words = $"{CorrectionSupport.Show(toReceivable, invoice.Currency)} collected on {invoice.Number} through Stripe (attempt {attempt.Number})"
            + (overpaid > 0 ? $"; {CorrectionSupport.Show(overpaid, invoice.Currency)} more than was still due went to the customer's wallet as credit "
                + "(the invoice had been settled or changed another way meanwhile)." : ".");
        context.Audit("invoice.payment_collected", "invoice", invoice.Number, before, CorrectionSupport.AuditState(invoice), words);
        var projectId = context.ProjectId;
        context.AfterCommit(() => jobs.Enqueue<StripeFeeJob>(job => job.RecordAsync(projectId, intentId, CancellationToken.None)));
        return StripeEventOutcome.Done(words);
    }
}
