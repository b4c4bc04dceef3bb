using Hangfire;
using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Infrastructure.Billing.Corrections;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Payments.Refunds;

/// <summary>Finance tries a failed refund again: a new try with its own idempotency key (the failed one stays failed at Stripe), audited.</summary>
public sealed class RetryStripeRefund(IBackgroundJobClient jobs) : UseCase<RetryStripeRefund.Request, StripeRefundView>
{
    public sealed record Request(Guid RefundId);

    public override AccessRule Access { get; } = new(Permission.ManageMoney, ApiScopes.BillingWrite);

    public override async Task<UseCaseResult<StripeRefundView>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var refund = await context.Db.StripeRefunds.SingleOrDefaultAsync(r => r.Id == request.RefundId && r.ProjectId == context.ProjectId, cancellationToken);
        if (refund is null)
        {
            return UseCaseResult<StripeRefundView>.NotFound("No such refund in this project.");
        }

        if (refund.Status != RefundStatus.Failed)
        {
            return UseCaseResult<StripeRefundView>.Conflict($"Only a failed refund can be tried again; this one is {refund.Status.ToString().ToLowerInvariant()}.");
        }

        var before = new { refund.Status, refund.Attempt, refund.FailureReason };
        refund.Attempt++;
        refund.Status = RefundStatus.Requested;
        refund.StripeRefundId = null;
        refund.FailureReason = null;
        refund.UpdatedAt = context.Now;
        refund.Version++;
        context.Audit("refund.retried", "refund", refund.Id.ToString(), before, new { refund.Status, refund.Attempt },
            $"Try {refund.Attempt} of the refund of {CorrectionSupport.Show(refund.Amount, refund.Currency)}");
        var id = refund.Id;
        context.AfterCommit(() => jobs.Enqueue<StripeRefundJob>(job => job.RunAsync(id, CancellationToken.None)));
        var view = await StripeRefundView.Query(context.Db, context.ProjectId, r => r.Id == id).SingleAsync(cancellationToken);
        return UseCaseResult<StripeRefundView>.Ok(view with { Status = refund.Status, Attempt = refund.Attempt, StripeRefundId = null, FailureReason = null });
    }
}
