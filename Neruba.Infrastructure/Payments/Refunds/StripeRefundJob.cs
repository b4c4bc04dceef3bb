using Hangfire;
using Microsoft.EntityFrameworkCore;
using Neruba.Infrastructure.Ledger;
using Neruba.Infrastructure.Persistence;
using Stripe;

namespace Neruba.Infrastructure.Payments.Refunds;

/// <summary>
/// Asks Stripe to refund one owed refund, under the refund's idempotency key for this try. Stripe's answer only moves the record (sent, or
/// failed in words); the ledger entry waits for the refund's webhook. A network failure or rate limit is tried again by Hangfire, same key.
/// </summary>
public sealed class StripeRefundJob(IDbContextFactory<NerubaDbContext> dbFactory, StripeGateway gateway, TimeProvider clock)
{
    [AutomaticRetry(Attempts = 5, DelaysInSeconds = [30, 120, 600, 1800, 3600])]
    public async Task RunAsync(Guid refundId, CancellationToken cancellationToken)
    {
        StripeRefundRecord? refund;
        StripeConnection? connection;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            refund = await db.StripeRefunds.AsNoTracking().SingleOrDefaultAsync(r => r.Id == refundId, cancellationToken);
            if (refund is not { Status: RefundStatus.Requested })
            {
                return;
            }

            connection = await gateway.ConnectAsync(db, refund.ProjectId, cancellationToken);
        }

        if (connection is null)
        {
            await UpdateAsync(refundId, r => Fail(r, StripeGateway.NotConfigured), cancellationToken);
            return;
        }

        try
        {
            var created = await connection.Client.V1.Refunds.CreateAsync(new RefundCreateOptions
            {
                PaymentIntent = refund.PaymentIntentId, Amount = refund.Amount, Reason = "requested_by_customer",
                Metadata = new Dictionary<string, string>
                {
                    ["neruba_project"] = refund.ProjectId.ToString(), ["neruba_refund"] = refund.Id.ToString(), ["neruba_credit_note"] = refund.CreditNoteId.ToString(),
                    ["neruba_refund_try"] = refund.Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture),
                },
            }, new RequestOptions { IdempotencyKey = refund.IdempotencyKey }, cancellationToken);
            await UpdateAsync(refundId, r =>
            {
                r.StripeRefundId ??= created.Id;
                if (created.Status is "failed" or "canceled")
                {
                    Fail(r, RefundEvents.FailureWords(created.FailureReason));
                }
                else if (r.Status == RefundStatus.Requested)
                {
                    r.Status = RefundStatus.Pending;
                    r.FailureReason = null;
                }
            }, cancellationToken);
        }
        catch (StripeException exception) when (!StripeGateway.IsTransient(exception))
        {
            await UpdateAsync(refundId, r => Fail(r, StripeGateway.Describe(exception)), cancellationToken);
        }
        catch (Exception exception) when (StripeGateway.IsTransient(exception) && !cancellationToken.IsCancellationRequested)
        {
            await UpdateAsync(refundId, r => r.FailureReason = StripeGateway.Describe(exception), cancellationToken);
            throw; // Hangfire tries again with the same key
        }
    }

    private static void Fail(StripeRefundRecord refund, string words)
    {
        if (refund.Status is RefundStatus.Requested or RefundStatus.Pending)
        {
            refund.Status = RefundStatus.Failed;
        }

        refund.FailureReason = words.Length > CollectionAttemptRecord.MaxMessageLength ? words[..CollectionAttemptRecord.MaxMessageLength] : words;
    }

    private async Task UpdateAsync(Guid refundId, Action<StripeRefundRecord> apply, CancellationToken cancellationToken)
    {
        await LostRaces.RetryAsync(async () =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var refund = await db.StripeRefunds.SingleAsync(r => r.Id == refundId, cancellationToken);
            if (refund.Status == RefundStatus.Succeeded)
            {
                return;
            }

            apply(refund);
            refund.UpdatedAt = clock.GetUtcNow();
            refund.Version++;
            await db.SaveChangesAsync(cancellationToken);
        }, cancellationToken);
    }
}
