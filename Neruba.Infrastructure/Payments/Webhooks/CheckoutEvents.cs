using Hangfire;
using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Billing.Corrections;
using Neruba.Infrastructure.Ledger;
using Neruba.Infrastructure.Payments.Fees;

namespace Neruba.Infrastructure.Payments.Webhooks;

/// <summary>
/// A credit pack's Checkout Session: the purchase is posted (Stripe clearing → wallet, a "purchase" block) only when Stripe says it is paid —
/// <c>checkout.session.completed</c> with payment_status paid, or <c>async_payment_succeeded</c> for a delayed method — once per session.
/// A state never goes back: a late "completed, unpaid" after the payment does nothing.
/// </summary>
internal static class CheckoutEvents
{
    public static async Task<StripeEventOutcome> HandleAsync(StripeEventContext context, IBackgroundJobClient jobs, CancellationToken cancellationToken)
    {
        var sessionId = context.Object.Text("id");
        var session = await context.Db.CheckoutSessions.SingleOrDefaultAsync(s => s.ProjectId == context.ProjectId && s.StripeSessionId == sessionId, cancellationToken);
        if (session is null)
        {
            return StripeEventOutcome.Ignored($"Checkout session {sessionId} was not created by Neruba; nothing posted.");
        }

        var paymentStatus = context.Object.Text("payment_status");
        switch (context.Event.Type)
        {
            case "checkout.session.completed" when paymentStatus is "paid" or "no_payment_required":
            case "checkout.session.async_payment_succeeded":
                return await PostPurchaseAsync(context, session, jobs, cancellationToken);
            case "checkout.session.completed":
                return Move(session, CheckoutStatus.AwaitingPayment, CheckoutStatus.Open,
                    $"{session.PackName}: completed with a delayed payment method; nothing is posted until Stripe confirms the money arrived.");
            case "checkout.session.async_payment_failed":
                return Move(session, CheckoutStatus.PaymentFailed, CheckoutStatus.AwaitingPayment,
                    $"{session.PackName}: the delayed payment failed; no credit was posted.");
            default:
                return Move(session, CheckoutStatus.Expired, CheckoutStatus.Open, $"{session.PackName}: the checkout link expired unpaid.");
        }
    }

    private static StripeEventOutcome Move(CheckoutSessionRecord session, CheckoutStatus to, CheckoutStatus from, string words)
    {
        if (session.Status > from && session.Status != to)
        {
            return StripeEventOutcome.Done($"The session is already {session.Status}; this earlier state changes nothing.");
        }

        session.Status = to;
        session.Version++;
        return StripeEventOutcome.Done(words);
    }

    private static async Task<StripeEventOutcome> PostPurchaseAsync(StripeEventContext context, CheckoutSessionRecord session, IBackgroundJobClient jobs,
        CancellationToken cancellationToken)
    {
        var key = $"purchase:{session.StripeSessionId}";
        if (session.Status == CheckoutStatus.Paid || await context.Db.EntryByKeyAsync(context.ProjectId, key, cancellationToken) is not null)
        {
            return StripeEventOutcome.Done($"{session.PackName}: the purchase was already posted; nothing posted twice.");
        }

        var paid = context.Object.Number("amount_total");
        if (paid != session.Price || !string.Equals(context.Object.Currency, session.Currency, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"Stripe reports {paid?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no amount"} {context.Object.Currency} paid for checkout session "
                + $"{session.StripeSessionId}, but the pack costs {CorrectionSupport.Show(session.Price, session.Currency)}; nothing was posted. Check the session in Stripe.");
        }

        var db = context.Db;
        var wallet = await db.AccountAsync(context.ProjectId, AccountKind.CustomerWallet, session.Currency, session.CustomerId, cancellationToken);
        var clearing = await db.AccountAsync(context.ProjectId, AccountKind.StripeClearing, session.Currency, null, cancellationToken);
        var expiresAt = session.ExpiryDays is { } days ? context.Now.AddDays(days) : (DateTimeOffset?)null;
        var promotional = await db.AccountAsync(context.ProjectId, AccountKind.PromotionalExpense, session.Currency, null, cancellationToken);
        var revenue = await db.AccountAsync(context.ProjectId, AccountKind.Revenue, session.Currency, null, cancellationToken);
        var (entry, block) = PaymentPostings.PackPurchase(context.Posting(key, $"Credit pack {session.PackName} bought through Stripe Checkout"), clearing, wallet,
            promotional, revenue, session.Price, session.Credit, expiresAt, session.Priority, $"checkout:{session.Id}");
        wallet.Touch();
        db.JournalEntries.Add(entry);
        db.CreditBlocks.Add(block);
        var before = new { session.Status };
        session.Status = CheckoutStatus.Paid;
        session.PaidAt = context.Now;
        session.EntryId = entry.Id;
        session.PaymentIntentId ??= context.Object.Text("payment_intent");
        session.Version++;
        context.Audit("credit.purchased", "checkout_session", session.StripeSessionId, before, new { session.Status, session.Credit, session.Currency },
            $"{session.PackName}: {CorrectionSupport.Show(session.Credit, session.Currency)} credit for {CorrectionSupport.Show(session.Price, session.Currency)}");
        if (session.PaymentIntentId is { } paymentIntentId)
        {
            var projectId = context.ProjectId;
            context.AfterCommit(() => jobs.Enqueue<StripeFeeJob>(job => job.RecordAsync(projectId, paymentIntentId, CancellationToken.None)));
        }

        return StripeEventOutcome.Done(
            $"Posted {CorrectionSupport.Show(session.Credit, session.Currency)} of credit ({session.PackName}) to the customer's wallet.");
    }
}
