using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Infrastructure.Billing.Corrections;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Payments.Refunds;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Payments.Collection;

/// <summary>An invoice's payment state for its page: collection attempts (with scheduled retries), Stripe refunds, and whether Collect is possible.</summary>
public sealed record InvoicePaymentsView(bool StripeConfigured, string? CollectRefusal, IReadOnlyList<CollectionAttemptView> Attempts,
    IReadOnlyList<StripeRefundView> Refunds);

public sealed class GetInvoicePayments : UseCase<GetInvoicePayments.Request, InvoicePaymentsView>
{
    public sealed record Request(string? Invoice);

    public override AccessRule Access { get; } = new(Permission.ViewConsole, ApiScopes.BillingRead);

    public override async Task<UseCaseResult<InvoicePaymentsView>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var invoice = await CorrectionSupport.FindInvoiceAsync(context, request.Invoice, cancellationToken);
        if (invoice is null)
        {
            return UseCaseResult<InvoicePaymentsView>.NotFound($"No invoice '{request.Invoice}' in this project.");
        }

        var configured = await context.Db.StripeAccounts.Where(a => a.ProjectId == context.ProjectId).AnyAsync(StripeAccountRecord.Configured, cancellationToken);
        var attempts = await context.Db.CollectionAttempts.AsNoTracking().Where(a => a.InvoiceId == invoice.Id).OrderBy(a => a.Number).ToListAsync(cancellationToken);
        var refunds = await StripeRefundView.Rows(context.Db, context.ProjectId).Where(r => r.Refund.InvoiceId == invoice.Id)
            .OrderByDescending(r => r.Refund.CreatedAt).Select(StripeRefundView.FromRow).ToListAsync(cancellationToken);
        var refusal = !configured ? StripeGateway.NotConfigured
            : invoice.Status != InvoiceStatus.Finalized || invoice.AmountDue <= 0 ? $"Nothing is due on {invoice.Number}."
            : attempts.Any(a => a.Status is CollectionStatus.Requested or CollectionStatus.Processing) ? "An attempt is under way at Stripe."
            : null;
        return UseCaseResult<InvoicePaymentsView>.Ok(new InvoicePaymentsView(configured, refusal, attempts.Select(CollectionAttemptView.Of).ToList(), refunds));
    }
}
