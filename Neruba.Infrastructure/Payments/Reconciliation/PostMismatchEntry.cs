using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Billing.Corrections;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Ledger;
using Neruba.Infrastructure.Payments.Collection;
using Neruba.Infrastructure.UseCases;
using Stripe;

namespace Neruba.Infrastructure.Payments.Reconciliation;

/// <summary>
/// Finance clears a mismatch by posting the missing or adjusting entry, with a reason, from what Stripe says now: a fee difference (payment fees ↔
/// clearing), or a payment made outside Neruba applied to the customer's oldest open invoice (or wallet) with its fee. Above the project's
/// correction threshold the first Finance member's request waits for a different one (a request made with an API key is its owner's).
/// </summary>
public sealed class PostMismatchEntry(StripeGateway gateway) : UseCase<PostMismatchEntry.Request, MismatchActionResult>
{
    public sealed record Request(Guid MismatchId, string? Reason);

    public override AccessRule Access { get; } = new(Permission.ManageMoney, ApiScopes.BillingWrite);

    public override ValidationErrors Validate(Request request) =>
        new ValidationErrors().Required("reason", request.Reason, MismatchResolution.MaxNoteLength, "A reason for the entry", multiline: true);

    public override async Task<UseCaseResult<MismatchActionResult>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var (mismatch, connection, refusal) = await MismatchResolution.OpenWithStripeAsync(context, gateway, request.MismatchId, m => m.CanPost,
            "Neruba posts entries for a fee difference or a payment made outside Neruba; for this "
            + "mismatch re-process the Stripe object or explain it with a note.", cancellationToken);
        if (mismatch is null || connection is null)
        {
            return refusal!;
        }

        Charge charge;
        try
        {
            charge = await connection.Client.V1.Charges.GetAsync(mismatch.SourceId, new ChargeGetOptions { Expand = ["balance_transaction"] },
                cancellationToken: cancellationToken);
        }
        catch (StripeException exception)
        {
            return UseCaseResult<MismatchActionResult>.Conflict(StripeGateway.Describe(exception));
        }

        var plan = mismatch.Kind == MismatchKind.FeeNotRecorded
            ? await FeePlanAsync(context, charge, cancellationToken)
            : await PaymentPlanAsync(context, charge, cancellationToken);
        if (plan.Refusal is not null)
        {
            return UseCaseResult<MismatchActionResult>.Conflict(plan.Refusal);
        }

        // The entry is what the run found (and what a requester asked for), never what Stripe says at the moment of approval: if Stripe changed
        // since, the next run refreshes the mismatch (and withdraws a waiting request) and the entry is asked for again.
        if (plan.Amount != RecordedDifference(mismatch))
        {
            return UseCaseResult<MismatchActionResult>.Conflict($"Stripe's figures for {mismatch.SourceId} changed since the reconciliation run found this "
                + "difference; nothing was posted. Run reconciliation again, then post the entry it shows.");
        }

        var reason = request.Reason!.Trim();
        var project = await context.Db.Projects.AsNoTracking().SingleAsync(p => p.Id == context.ProjectId, cancellationToken);
        if (plan.Amount > project.CorrectionApprovalThresholdMinor)
        {
            if (mismatch.ApprovalRequestedById is null)
            {
                return RequestApproval(context, mismatch, reason, plan.Words);
            }

            if (mismatch.ApprovalRequestedById == context.Actor.PersonId)
            {
                return UseCaseResult<MismatchActionResult>.Forbidden("You asked for this entry (in the console or with your API key), so another Finance "
                    + "member must approve it.");
            }

            reason = $"{mismatch.ProposedReason} (requested by {mismatch.ApprovalRequestedByName}, approved by {context.Actor.Name}: {reason})";
        }

        var entryId = await plan.Post!(CorrectionSupport.Posting(context, $"reconcile:{mismatch.Id}", $"{plan.Words}: {reason}"));
        return MismatchResolution.Close(context, mismatch, MismatchStatus.Resolved, reason, entryId, "reconciliation.entry_posted", $"{plan.Words}: {reason}");
    }

    /// <summary>The amount the run recorded for this mismatch: the fee difference, or the payment Neruba never saw.</summary>
    private static long? RecordedDifference(ReconciliationMismatchRecord mismatch) => mismatch.Kind == MismatchKind.FeeNotRecorded
        ? Math.Abs((mismatch.StripeFee ?? 0) - (mismatch.LedgerFee ?? 0))
        : mismatch.StripeAmount;

    private static UseCaseResult<MismatchActionResult> RequestApproval(UseCaseContext context, ReconciliationMismatchRecord mismatch, string reason, string words)
    {
        mismatch.ApprovalRequestedById = context.Actor.PersonId;
        mismatch.ApprovalRequestedByName = context.Actor.Name;
        mismatch.ApprovalRequestedAt = context.Now;
        mismatch.ProposedReason = reason;
        mismatch.Version++;
        var view = MismatchView.Of(mismatch);
        var said = $"{words} is above the project's approval threshold: it waits for another Finance member to approve it.";
        context.Audit("reconciliation.entry_requested", MismatchResolution.TargetType, mismatch.Id.ToString(), null, view.ForAudit(), $"{said} {reason}");
        return UseCaseResult<MismatchActionResult>.Ok(new MismatchActionResult(view, said));
    }

    private sealed record Plan(long Amount, string Words, Func<PostingContext, Task<Guid>>? Post, string? Refusal = null)
    {
        public static Plan Refuse(string words) => new(0, "", null, words);
    }

    private static async Task<Plan> FeePlanAsync(UseCaseContext context, Charge charge, CancellationToken cancellationToken)
    {
        var txn = charge.BalanceTransaction;
        if (txn is null)
        {
            return Plan.Refuse($"Stripe has no balance transaction for {charge.Id} yet.");
        }

        var currency = txn.Currency.ToUpperInvariant();
        var lines = await ReconciliationLedger.LinesAsync(context.Db, context.ProjectId, [$"stripe-fee:{charge.Id}"],
            [ReconciliationLinks.FeeAdjustment(charge.Id)], cancellationToken);
        var difference = txn.Fee + lines.Sum(l => l.Amount);
        if (difference == 0)
        {
            return Plan.Refuse("The recorded fee already equals Stripe's; the next reconciliation run closes this mismatch.");
        }

        var words = $"Fee on {charge.Id} adjusted by {ReconciliationMatcher.Show(difference, currency)} to Stripe's {ReconciliationMatcher.Show(txn.Fee, currency)}";
        return new Plan(Math.Abs(difference), words, async posting =>
        {
            var fees = await context.Db.AccountAsync(context.ProjectId, AccountKind.PaymentFees, currency, null, cancellationToken);
            var clearing = await context.Db.AccountAsync(context.ProjectId, AccountKind.StripeClearing, currency, null, cancellationToken);
            // No fee recorded yet: posted as the fee job would (its key), so the job, retrying, finds it and posts nothing more.
            var entry = lines.Count == 0 && difference > 0
                ? PaymentPostings.Fee(posting with { IdempotencyKey = $"stripe-fee:{charge.Id}" }, fees, clearing, difference, $"stripe-charge:{charge.Id}")
                : ReconciliationPostings.FeeDifference(posting, fees, clearing, difference, ReconciliationLinks.FeeAdjustment(charge.Id));
            context.Db.JournalEntries.Add(entry);
            return entry.Id;
        });
    }

    private static async Task<Plan> PaymentPlanAsync(UseCaseContext context, Charge charge, CancellationToken cancellationToken)
    {
        var currency = charge.Currency.ToUpperInvariant();
        var paymentKey = $"stripe-payment:{charge.PaymentIntentId ?? charge.Id}";
        if (await context.Db.EntryByKeyAsync(context.ProjectId, paymentKey, cancellationToken) is not null)
        {
            return Plan.Refuse("This payment is already in the ledger; the next reconciliation run closes this mismatch.");
        }

        var intentId = charge.PaymentIntentId;
        if (intentId is not null && (await context.Db.CollectionAttempts.AnyAsync(a => a.ProjectId == context.ProjectId && a.PaymentIntentId == intentId, cancellationToken)
            || await context.Db.CheckoutSessions.AnyAsync(s => s.ProjectId == context.ProjectId && s.PaymentIntentId == intentId, cancellationToken)))
        {
            return Plan.Refuse("Neruba made this payment (a collection or a credit pack checkout): re-fetch and re-process it, so it is posted as "
                + "its webhook would have posted it.");
        }

        var customerId = await context.Db.StripeCustomers.Where(l => l.ProjectId == context.ProjectId && l.StripeCustomerId == charge.CustomerId)
            .Select(l => (Guid?)l.CustomerId).FirstOrDefaultAsync(cancellationToken);
        if (customerId is null)
        {
            return Plan.Refuse($"The Stripe customer {charge.CustomerId ?? "(none)"} of {charge.Id} is not linked to a customer in this project: "
                + "explain the mismatch with a note instead.");
        }

        var invoice = await context.Db.Invoices.Where(i => i.ProjectId == context.ProjectId && i.CustomerId == customerId && i.Currency == currency
            && i.Status == InvoiceStatus.Finalized && i.AmountDue > 0).OrderBy(i => i.Sequence).FirstOrDefaultAsync(cancellationToken);
        var target = invoice is null ? "the customer's wallet (no open invoice)" : invoice.Number;
        var words = $"Payment {charge.Id} of {ReconciliationMatcher.Show(charge.Amount, currency)} made outside Neruba applied to {target}";
        return new Plan(charge.Amount, words, async posting =>
        {
            // Posted under the keys a Neruba-made payment uses, so reconciliation matches it like any other from now on.
            var paymentPosting = posting with { IdempotencyKey = paymentKey };
            var (entry, _) = await StripeInvoicePayment.PostAsync(context.Db, paymentPosting, customerId.Value, currency, invoice, charge.Amount,
                invoice is null ? ReconciliationLinks.Source(charge.Id) : InvoicePosting.Link(invoice.Id),
                new StripePaymentSource(charge.PaymentIntentId ?? charge.Id, charge.Id, DateOnly.FromDateTime(charge.Created), context.Actor.PersonId,
                    context.Actor.Name, context.Now), cancellationToken);
            if (charge.BalanceTransaction is { Fee: > 0 } txn)
            {
                var fees = await context.Db.AccountAsync(context.ProjectId, AccountKind.PaymentFees, currency, null, cancellationToken);
                var clearing = await context.Db.AccountAsync(context.ProjectId, AccountKind.StripeClearing, currency, null, cancellationToken);
                context.Db.JournalEntries.Add(PaymentPostings.Fee(posting with { IdempotencyKey = $"stripe-fee:{charge.Id}" }, fees, clearing, txn.Fee,
                    $"stripe-charge:{charge.Id}"));
            }

            return entry.Id;
        });
    }
}
