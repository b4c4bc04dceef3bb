using Hangfire;
using Microsoft.EntityFrameworkCore;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Ledger;
using Neruba.Infrastructure.Persistence;
using Stripe;

namespace Neruba.Infrastructure.Payments.Collection;

/// <summary>
/// Makes one collection attempt: a PaymentIntent for what is due, confirmed off-session with the customer's default payment method, under the
/// attempt's own idempotency key. Its outcome reaches the ledger only through the webhook; a decline is recorded at once (and the retry
/// scheduled), a network failure or rate limit leaves the attempt requested and Hangfire tries again with the same key.
/// </summary>
public sealed class CollectionJob(IDbContextFactory<NerubaDbContext> dbFactory, StripeGateway gateway, IBackgroundJobClient jobs, TimeProvider clock)
{
    [AutomaticRetry(Attempts = 5, DelaysInSeconds = [30, 120, 600, 1800, 3600])]
    public async Task RunAsync(Guid attemptId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var attempt = await db.CollectionAttempts.SingleOrDefaultAsync(a => a.Id == attemptId, cancellationToken);
        var now = clock.GetUtcNow();
        if (attempt is null || attempt.Status is not (CollectionStatus.Scheduled or CollectionStatus.Requested)
            || (attempt.Status == CollectionStatus.Scheduled && attempt.ScheduledFor > now.AddMinutes(1)))
        {
            return;
        }

        var invoice = await db.Invoices.AsNoTracking().SingleAsync(i => i.Id == attempt.InvoiceId, cancellationToken);
        var connection = await gateway.ConnectAsync(db, attempt.ProjectId, cancellationToken);
        if (invoice.Status != InvoiceStatus.Finalized || invoice.AmountDue <= 0 || connection is null)
        {
            attempt.Status = CollectionStatus.Canceled;
            attempt.FailureMessage = connection is null ? StripeGateway.NotConfigured : "Nothing was due any more when the attempt came up.";
            attempt.CompletedAt = now;
            attempt.Version++;
            await db.SaveChangesAsync(cancellationToken);
            return;
        }

        if (attempt.Status == CollectionStatus.Scheduled)
        {
            // From here the amount and key are fixed: every repeat of this attempt sends Stripe the same request.
            attempt.Status = CollectionStatus.Requested;
            attempt.Amount = invoice.AmountDue;
            attempt.Version++;
            await db.SaveChangesAsync(cancellationToken);
        }

        var customer = await db.Customers.AsNoTracking().SingleAsync(c => c.Id == attempt.CustomerId, cancellationToken);
        try
        {
            var stripeCustomerId = await StripeCustomerLinks.EnsureAsync(db, connection, customer, cancellationToken);
            var stripeCustomer = await connection.Client.V1.Customers.GetAsync(stripeCustomerId, cancellationToken: cancellationToken);
            if (stripeCustomer.InvoiceSettings?.DefaultPaymentMethodId is not { } paymentMethod)
            {
                await RecordAsync(attemptId, a =>
                {
                    CollectionAttempts.Fail(a, CollectionAttempts.NoPaymentMethod, a.Trigger == CollectionTrigger.Automatic
                        ? "Not collected automatically: the customer has no default payment method in Stripe."
                        : "The customer has no default payment method in Stripe, so nothing was charged. Add one in Stripe, then collect again.", now);
                    return false;
                }, cancellationToken);
                return;
            }

            var intent = await connection.Client.V1.PaymentIntents.CreateAsync(new PaymentIntentCreateOptions
            {
                Amount = attempt.Amount, Currency = attempt.Currency.ToLowerInvariant(), Customer = stripeCustomerId, PaymentMethod = paymentMethod,
                OffSession = true, Confirm = true, Description = $"Invoice {invoice.Number}",
                Metadata = new Dictionary<string, string>
                {
                    ["neruba_project"] = attempt.ProjectId.ToString(), ["neruba_invoice"] = invoice.Id.ToString(), ["neruba_attempt"] = attempt.Id.ToString(),
                    ["neruba_invoice_number"] = invoice.Number,
                },
            }, new RequestOptions { IdempotencyKey = attempt.IdempotencyKey }, cancellationToken);
            await RecordAsync(attemptId, a =>
            {
                a.PaymentIntentId ??= intent.Id;
                if (a.Status == CollectionStatus.Requested)
                {
                    a.Status = CollectionStatus.Processing;
                    a.FailureMessage = null;
                }

                return false;
            }, cancellationToken);
        }
        catch (StripeException exception) when (!StripeGateway.IsTransient(exception))
        {
            var error = exception.StripeError;
            await RecordAsync(attemptId, a =>
            {
                a.PaymentIntentId ??= error?.PaymentIntent?.Id;
                CollectionAttempts.Fail(a, error?.DeclineCode ?? error?.Code ?? "stripe_error", error?.Type == "card_error"
                    ? CollectionAttempts.FailureWords(error.Type, error.DeclineCode, error.Message) : StripeGateway.Describe(exception), now);
                return true;
            }, cancellationToken);
        }
        catch (Exception exception) when (StripeGateway.IsTransient(exception) && !cancellationToken.IsCancellationRequested)
        {
            await RecordAsync(attemptId, a =>
            {
                a.FailureMessage = StripeGateway.Describe(exception);
                return false;
            }, cancellationToken);
            throw; // Hangfire tries again later with the same idempotency key
        }
    }

    /// <summary>Applies an outcome to a fresh read of the attempt (a webhook may have moved it meanwhile) and, when asked, schedules the retry.</summary>
    private async Task RecordAsync(Guid attemptId, Func<CollectionAttemptRecord, bool> apply, CancellationToken cancellationToken)
    {
        await LostRaces.RetryAsync(async () =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var committed = new List<Action>();
            var attempt = await db.CollectionAttempts.SingleAsync(a => a.Id == attemptId, cancellationToken);
            if (attempt.Status == CollectionStatus.Succeeded)
            {
                return;
            }

            var before = attempt.Version;
            var scheduleRetry = apply(attempt);
            if (attempt.Version == before)
            {
                attempt.Version++;
            }

            if (scheduleRetry && attempt.Status == CollectionStatus.Failed)
            {
                var invoice = await db.Invoices.AsNoTracking().SingleAsync(i => i.Id == attempt.InvoiceId, cancellationToken);
                var account = await db.StripeAccounts.AsNoTracking().SingleOrDefaultAsync(a => a.ProjectId == attempt.ProjectId, cancellationToken)
                    ?? new StripeAccountRecord { ProjectId = attempt.ProjectId, RetryScheduleDays = "" };
                await CollectionAttempts.ScheduleRetryAsync(db, attempt, invoice, account, clock.GetUtcNow(), committed.Add, jobs, cancellationToken);
            }

            await db.SaveChangesAsync(cancellationToken);
            committed.ForEach(action => action());
        }, cancellationToken);
    }
}
