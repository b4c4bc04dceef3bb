using Hangfire;
using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Infrastructure.Billing.Corrections;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Payments.Collection;

public sealed record CollectionAttemptView(Guid Id, int Number, CollectionTrigger Trigger, CollectionStatus Status, string Currency, long Amount,
    string? PaymentIntentId, string? FailureCode, string? FailureMessage, long? Fee, DateTimeOffset CreatedAt, DateTimeOffset? ScheduledFor,
    DateTimeOffset? CompletedAt, string RequestedByName)
{
    internal static CollectionAttemptView Of(CollectionAttemptRecord a) => new(a.Id, a.Number, a.Trigger, a.Status, a.Currency, a.Amount, a.PaymentIntentId,
        a.FailureCode, a.FailureMessage, a.Fee, a.CreatedAt, a.ScheduledFor, a.CompletedAt, a.RequestedByName);
}

/// <summary>
/// Finance collects a finalized invoice's amount due through Stripe now: a new numbered attempt (its own idempotency key) made by a job; any
/// scheduled retry is canceled, and an attempt already under way is not doubled.
/// </summary>
public sealed class CollectInvoice(IBackgroundJobClient jobs) : UseCase<CollectInvoice.Request, CollectionAttemptView>
{
    public sealed record Request(string? Invoice);

    public override AccessRule Access { get; } = new(Permission.ManageMoney, ApiScopes.BillingWrite);

    public override async Task<UseCaseResult<CollectionAttemptView>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var invoice = await CorrectionSupport.FindInvoiceAsync(context, request.Invoice, cancellationToken);
        if (invoice is null)
        {
            return UseCaseResult<CollectionAttemptView>.NotFound($"No invoice '{request.Invoice}' in this project.");
        }

        if (invoice.Status != InvoiceStatus.Finalized || invoice.AmountDue <= 0)
        {
            return UseCaseResult<CollectionAttemptView>.Conflict(invoice.Status switch
            {
                InvoiceStatus.Void => $"{invoice.Number} is void: nothing is owed on it.",
                InvoiceStatus.Uncollectible => $"{invoice.Number} was written off as uncollectible.",
                _ => $"Nothing is due on {invoice.Number}.",
            });
        }

        var account = await context.Db.StripeAccounts.AsNoTracking().SingleOrDefaultAsync(a => a.ProjectId == context.ProjectId, cancellationToken);
        if (account is not { IsConfigured: true })
        {
            return UseCaseResult<CollectionAttemptView>.Conflict(StripeGateway.NotConfigured);
        }

        if (await CollectionAttempts.UnderWayRefusalAsync(context.Db, invoice, cancellationToken) is { } underWay)
        {
            return UseCaseResult<CollectionAttemptView>.Conflict(underWay);
        }

        await CollectionAttempts.CancelScheduledAsync(context.Db, invoice.Id, context.Now, cancellationToken);
        var attempt = CollectionAttempts.New(invoice, await CollectionAttempts.NextNumberAsync(context.Db, invoice.Id, cancellationToken),
            CollectionTrigger.Manual, CollectionStatus.Requested, context.Now, context.Actor.Name);
        context.Db.CollectionAttempts.Add(attempt);
        context.Audit("invoice.collection_requested", "invoice", invoice.Number, null, new { attempt.Number, attempt.Amount, attempt.Currency },
            $"Collect {CorrectionSupport.Show(attempt.Amount, attempt.Currency)} through Stripe (attempt {attempt.Number})");
        context.AfterCommit(() => jobs.Enqueue<CollectionJob>(job => job.RunAsync(attempt.Id, CancellationToken.None)));
        return UseCaseResult<CollectionAttemptView>.Ok(CollectionAttemptView.Of(attempt));
    }
}
