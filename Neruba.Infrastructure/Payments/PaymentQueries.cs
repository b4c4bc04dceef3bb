using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Infrastructure.Billing.Corrections;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Payments.Collection;
using Neruba.Infrastructure.Payments.Refunds;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Payments;

public sealed record StripePaymentSummary(Guid Id, Guid InvoiceId, string InvoiceNumber, Guid CustomerId, string CustomerName, string Currency, long Amount,
    string PaymentIntentId, string? ChargeId, DateOnly ReceivedOn, DateTimeOffset RecordedAt);

public sealed record CollectionFailureSummary(Guid AttemptId, Guid InvoiceId, string InvoiceNumber, Guid CustomerId, string CustomerName, int Number,
    string Currency, long Amount, string? FailureCode, string? FailureMessage, DateTimeOffset? FailedAt, DateTimeOffset? NextRetryAt);

/// <summary>The Payments area: what Stripe collected on invoices, the refunds sent back, and the collections that failed.</summary>
public sealed class ListStripePayments : UseCase<ListStripePayments.Request, PageOf<StripePaymentSummary>>
{
    public sealed record Request(int Page, int PageSize);

    public override AccessRule Access { get; } = new(Permission.ViewConsole, ApiScopes.BillingRead);

    public override async Task<UseCaseResult<PageOf<StripePaymentSummary>>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var query = from p in context.Db.Payments.AsNoTracking()
                    join i in context.Db.Invoices.AsNoTracking() on p.InvoiceId equals i.Id
                    join c in context.Db.Customers.AsNoTracking() on p.CustomerId equals c.Id
                    where p.ProjectId == context.ProjectId && p.Method == PaymentMethod.Stripe
                    select new { p, i.Sequence, c.Name };
        var page = await query.PageAsync(q => q.OrderByDescending(x => x.p.RecordedAt), request.Page, request.PageSize, x => new StripePaymentSummary(x.p.Id,
            x.p.InvoiceId, InvoiceRecord.FormatNumber(x.Sequence), x.p.CustomerId, x.Name, x.p.Currency, x.p.Amount, x.p.Reference, x.p.StripeChargeId,
            x.p.ReceivedOn, x.p.RecordedAt), cancellationToken);
        return UseCaseResult<PageOf<StripePaymentSummary>>.Ok(page);
    }
}

public sealed class ListStripeRefunds : UseCase<ListStripeRefunds.Request, PageOf<StripeRefundView>>
{
    public sealed record Request(RefundStatus? Status, int Page, int PageSize);

    public override AccessRule Access { get; } = new(Permission.ViewConsole, ApiScopes.BillingRead);

    public override async Task<UseCaseResult<PageOf<StripeRefundView>>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var query = StripeRefundView.Rows(context.Db, context.ProjectId);
        if (request.Status is { } status)
        {
            query = query.Where(r => r.Refund.Status == status);
        }

        var page = await query.PageAsync(q => q.OrderByDescending(r => r.Refund.CreatedAt), request.Page, request.PageSize, StripeRefundView.FromRow,
            cancellationToken);
        return UseCaseResult<PageOf<StripeRefundView>>.Ok(page);
    }
}

/// <summary>Failed collection attempts whose invoice is still due, with the retry that follows, if any.</summary>
public sealed class ListCollectionFailures : UseCase<ListCollectionFailures.Request, PageOf<CollectionFailureSummary>>
{
    public sealed record Request(int Page, int PageSize);

    public override AccessRule Access { get; } = new(Permission.ViewConsole, ApiScopes.BillingRead);

    public override async Task<UseCaseResult<PageOf<CollectionFailureSummary>>> HandleAsync(UseCaseContext context, Request request,
        CancellationToken cancellationToken)
    {
        var db = context.Db;
        var query = from a in db.CollectionAttempts.AsNoTracking()
                    join i in db.Invoices.AsNoTracking() on a.InvoiceId equals i.Id
                    join c in db.Customers.AsNoTracking() on a.CustomerId equals c.Id
                    where a.ProjectId == context.ProjectId && a.Status == CollectionStatus.Failed && i.Status == InvoiceStatus.Finalized && i.AmountDue > 0
                    select new
                    {
                        a, i.Sequence, c.Name,
                        Next = db.CollectionAttempts.Where(n => n.InvoiceId == a.InvoiceId && n.Number == a.Number + 1 && n.Status == CollectionStatus.Scheduled)
                            .Select(n => n.ScheduledFor).FirstOrDefault(),
                    };
        var page = await query.PageAsync(q => q.OrderByDescending(x => x.a.CreatedAt), request.Page, request.PageSize, x => new CollectionFailureSummary(x.a.Id,
            x.a.InvoiceId, InvoiceRecord.FormatNumber(x.Sequence), x.a.CustomerId, x.Name, x.a.Number, x.a.Currency, x.a.Amount, x.a.FailureCode,
            x.a.FailureMessage, x.a.CompletedAt, x.Next), cancellationToken);
        return UseCaseResult<PageOf<CollectionFailureSummary>>.Ok(page);
    }
}

/// <summary>Whether the project has Stripe keys, so that payment pages can say "not configured" instead of showing empty lists without a reason.</summary>
public sealed class GetStripeConfigured : UseCase<GetStripeConfigured.Request, bool>
{
    public sealed record Request;

    public override AccessRule Access { get; } = new(Permission.ViewConsole, ApiScopes.BillingRead);

    public override async Task<UseCaseResult<bool>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken) =>
        UseCaseResult<bool>.Ok(await context.Db.StripeAccounts.AsNoTracking()
            .Where(a => a.ProjectId == context.ProjectId).AnyAsync(StripeAccountRecord.Configured, cancellationToken));
}
