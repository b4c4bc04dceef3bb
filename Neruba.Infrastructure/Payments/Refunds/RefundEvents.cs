using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Billing.Corrections;
using Neruba.Infrastructure.Ledger;
using Neruba.Infrastructure.Payments.Webhooks;

namespace Neruba.Infrastructure.Payments.Refunds;

/// <summary>
/// Refund events (<c>refund.created/updated/failed</c>, and <c>charge.refunded</c> when it carries its refunds): a succeeded refund posts
/// refunds pending → clearing once, keyed by the Stripe refund; a failed one is marked failed in words so Finance can try again. Success is final.
/// </summary>
internal static class RefundEvents
{
    public static async Task<StripeEventOutcome> HandleAsync(StripeEventContext context, CancellationToken cancellationToken)
    {
        var refunds = context.Event.Type == "charge.refunded" ? context.Object.ListItems("refunds").ToList() : [context.Object];
        if (refunds.Count == 0)
        {
            return StripeEventOutcome.Ignored("The charge was refunded; the refund's own events carry the details.");
        }

        var words = new List<string>();
        var acted = false;
        foreach (var stripeRefund in refunds)
        {
            var refundId = stripeRefund.Text("id");
            var nerubaId = stripeRefund.MetadataId("neruba_refund");
            var refund = await context.Db.StripeRefunds.FirstOrDefaultAsync(r => r.ProjectId == context.ProjectId
                && (r.StripeRefundId == refundId || r.Id == nerubaId), cancellationToken);
            if (refund is null)
            {
                words.Add($"Refund {refundId} was not made by Neruba; nothing posted.");
                continue;
            }

            var eventTry = stripeRefund.Metadata("neruba_refund_try");
            if ((refund.StripeRefundId is { } known && known != refundId)
                || (eventTry is not null && eventTry != refund.Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            {
                words.Add($"Refund {refundId} belongs to an earlier try of this refund; the current try is not changed.");
                continue;
            }

            acted = true;
            refund.StripeRefundId ??= refundId;
            words.Add(await ApplyAsync(context, refund, stripeRefund, cancellationToken));
        }

        return acted ? StripeEventOutcome.Done(string.Join(" ", words)) : StripeEventOutcome.Ignored(string.Join(" ", words));
    }

    private static async Task<string> ApplyAsync(StripeEventContext context, StripeRefundRecord refund, StripeJson stripeRefund, CancellationToken cancellationToken)
    {
        var shown = CorrectionSupport.Show(refund.Amount, refund.Currency);
        var status = stripeRefund.Text("status");
        var failed = status is "failed" or "canceled";

        // Per try, a refund moves requested → pending → succeeded → failed (a card refund can still fail after it succeeded); never back.
        if (refund.Status == RefundStatus.Failed)
        {
            return failed ? $"Refund {refund.StripeRefundId} of {shown} had already failed." :
                $"Refund {refund.StripeRefundId} already failed; this older \"{status}\" report changes nothing.";
        }

        if (refund.Status == RefundStatus.Succeeded && !failed)
        {
            return status == "succeeded" ? $"Refund {refund.StripeRefundId} of {shown} was already posted." :
                $"Refund {refund.StripeRefundId} already succeeded; this older \"{status}\" report changes nothing.";
        }

        if (refund.Status == RefundStatus.Succeeded)
        {
            var returnedKey = $"stripe-refund-returned:{refund.StripeRefundId}";
            if (await context.Db.EntryByKeyAsync(context.ProjectId, returnedKey, cancellationToken) is null)
            {
                var clearing = await context.Db.AccountAsync(context.ProjectId, AccountKind.StripeClearing, refund.Currency, null, cancellationToken);
                var pending = await context.Db.AccountAsync(context.ProjectId, AccountKind.RefundsPending, refund.Currency, null, cancellationToken);
                context.Db.JournalEntries.Add(PaymentPostings.RefundReturned(context.Posting(returnedKey,
                    $"Stripe refund {refund.StripeRefundId} of {shown} failed after it succeeded"), clearing, pending, refund.Amount, $"credit-note:{refund.CreditNoteId}"));
            }

            refund.Status = RefundStatus.Failed;
            refund.FailureReason = FailureWords(stripeRefund.Text("failure_reason"))
                + " It had succeeded first: the money came back to the Stripe balance and is owed to the customer again.";
            refund.UpdatedAt = context.Now;
            refund.Version++;
            context.Audit("refund.failed", "refund", refund.StripeRefundId!, new { Status = RefundStatus.Succeeded }, new { refund.Status, refund.Amount },
                refund.FailureReason);
            return $"Refund {refund.StripeRefundId} of {shown} failed after it succeeded; the posting was reversed and the refund is owed again.";
        }

        refund.UpdatedAt = context.Now;
        refund.Version++;
        switch (status)
        {
            case "succeeded":
                var key = $"stripe-refund:{refund.StripeRefundId}";
                if (await context.Db.EntryByKeyAsync(context.ProjectId, key, cancellationToken) is null)
                {
                    var pending = await context.Db.AccountAsync(context.ProjectId, AccountKind.RefundsPending, refund.Currency, null, cancellationToken);
                    var clearing = await context.Db.AccountAsync(context.ProjectId, AccountKind.StripeClearing, refund.Currency, null, cancellationToken);
                    var entry = PaymentPostings.RefundPaid(context.Posting(key, $"Stripe refund {refund.StripeRefundId} of {shown}"), pending, clearing, refund.Amount,
                        $"credit-note:{refund.CreditNoteId}");
                    context.Db.JournalEntries.Add(entry);
                    refund.EntryId = entry.Id;
                }

                refund.Status = RefundStatus.Succeeded;
                refund.FailureReason = null;
                context.Audit("refund.succeeded", "refund", refund.StripeRefundId!, null, new { refund.Amount, refund.Currency }, $"Refund of {shown} confirmed by Stripe");
                return $"Refund {refund.StripeRefundId} of {shown} succeeded and was posted.";
            case "failed" or "canceled":  // not succeeded before (handled above)
                refund.Status = RefundStatus.Failed;
                refund.FailureReason = FailureWords(stripeRefund.Text("failure_reason"));
                context.Audit("refund.failed", "refund", refund.StripeRefundId!, null, new { refund.Amount, refund.Currency }, refund.FailureReason);
                return $"Refund {refund.StripeRefundId} of {shown} failed: {refund.FailureReason}";
            default:
                if (refund.Status == RefundStatus.Requested)
                {
                    refund.Status = RefundStatus.Pending;
                }

                return $"Refund {refund.StripeRefundId} of {shown} is {status} at Stripe.";
        }
    }

    public static string FailureWords(string? reason) => reason switch
    {
        "lost_or_stolen_card" => "The card was reported lost or stolen, so Stripe could not return the money to it. Pay the customer another way, or try again.",
        "expired_or_canceled_card" => "The card expired or was canceled, so Stripe could not return the money to it. Pay the customer another way, or try again.",
        "declined" => "The customer's bank declined the refund.",
        null or "" => "Stripe reports the refund failed without a reason.",
        _ => $"Stripe reports the refund failed ({reason.Replace('_', ' ')}).",
    };
}
