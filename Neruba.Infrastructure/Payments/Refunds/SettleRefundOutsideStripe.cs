using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Billing.Corrections;
using Neruba.Infrastructure.Ledger;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Payments.Refunds;

/// <summary>
/// Finance closes a failed Stripe refund by paying the customer back another way (a bank transfer), with its reference: refunds pending →
/// bank receipts, the refund canceled so it no longer counts against the Stripe payment. Audited; only a failed refund can be closed this way.
/// </summary>
public sealed class SettleRefundOutsideStripe : UseCase<SettleRefundOutsideStripe.Request, StripeRefundView>
{
    public sealed record Request(Guid RefundId, string? Reference);

    public override AccessRule Access { get; } = new(Permission.ManageMoney, ApiScopes.BillingWrite);

    public override ValidationErrors Validate(Request request) =>
        new ValidationErrors().Required("reference", request.Reference, PaymentRecord.MaxReferenceLength, "The bank reference of the payment you made");

    public override async Task<UseCaseResult<StripeRefundView>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var refund = await context.Db.StripeRefunds.SingleOrDefaultAsync(r => r.Id == request.RefundId && r.ProjectId == context.ProjectId, cancellationToken);
        if (refund is null)
        {
            return UseCaseResult<StripeRefundView>.NotFound("No such refund in this project.");
        }

        if (refund.Status != RefundStatus.Failed)
        {
            return UseCaseResult<StripeRefundView>.Conflict(
                $"Only a failed refund can be paid another way; this one is {refund.Status.ToString().ToLowerInvariant()}.");
        }

        var reference = request.Reference!.Trim();
        var shown = CorrectionSupport.Show(refund.Amount, refund.Currency);
        var pending = await context.Db.AccountAsync(context.ProjectId, AccountKind.RefundsPending, refund.Currency, null, cancellationToken);
        var bank = await context.Db.AccountAsync(context.ProjectId, AccountKind.BankReceipts, refund.Currency, null, cancellationToken);
        var entry = PaymentPostings.RefundPaidOutside(CorrectionSupport.Posting(context, $"refund-outside:{refund.Id}",
            $"Refund of {shown} paid outside Stripe ({reference}) after Stripe could not deliver it"), pending, bank, refund.Amount, $"credit-note:{refund.CreditNoteId}");
        context.Db.JournalEntries.Add(entry);
        var before = new { refund.Status, refund.FailureReason };
        refund.Status = RefundStatus.Canceled;
        refund.FailureReason = $"{refund.FailureReason} Paid back outside Stripe by {context.Actor.Name}: {reference}.".Trim();
        if (refund.FailureReason.Length > CollectionAttemptRecord.MaxMessageLength)
        {
            refund.FailureReason = refund.FailureReason[^CollectionAttemptRecord.MaxMessageLength..];
        }

        refund.EntryId = entry.Id;
        refund.UpdatedAt = context.Now;
        refund.Version++;
        context.Audit("refund.paid_outside_stripe", "refund", refund.Id.ToString(), before, new { refund.Status, Reference = reference }, $"Refund of {shown} paid by {reference}");
        var id = refund.Id;
        var view = await StripeRefundView.Rows(context.Db, context.ProjectId).Where(r => r.Refund.Id == id).Select(StripeRefundView.FromRow).SingleAsync(cancellationToken);
        return UseCaseResult<StripeRefundView>.Ok(view with { Status = refund.Status, FailureReason = refund.FailureReason });
    }
}
