using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Domain.Billing;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Billing.Runs;

public sealed record RerunDraftComparison(Guid RunId, DateTimeOffset PeriodStart, string CustomerName, string ExternalId, Guid InvoiceId, string InvoiceNumber,
    InvoiceDraft Finalized, InvoiceDraft Draft);

/// <summary>One customer of a rerun: the finalized invoice's lines beside the new draft's. Read-only.</summary>
public sealed class CompareRerunDraft : UseCase<CompareRerunDraft.Request, RerunDraftComparison>
{
    public sealed record Request(Guid RunId, Guid SubscriptionId);

    public override AccessRule Access { get; } = new(Permission.ViewConsole, ApiScopes.BillingRead);

    public override async Task<UseCaseResult<RerunDraftComparison>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var found = await (from r in context.Db.BillingRuns.AsNoTracking()
                           join i in context.Db.BillingRunItems.AsNoTracking() on r.Id equals i.RunId
                           join c in context.Db.Customers.AsNoTracking() on i.CustomerId equals c.Id
                           where r.Id == request.RunId && r.ProjectId == context.ProjectId && r.Kind == BillingRunKind.Rerun && i.SubscriptionId == request.SubscriptionId
                           select new { r.PeriodStart, i.DraftJson, c.Name, c.ExternalId })
            .FirstOrDefaultAsync(cancellationToken);
        if (found?.DraftJson is null)
        {
            return UseCaseResult<RerunDraftComparison>.NotFound("This rerun has no draft for that subscription (yet).");
        }

        var invoice = await context.Db.Invoices.AsNoTracking()
            .FirstOrDefaultAsync(i => i.SubscriptionId == request.SubscriptionId && i.PeriodStart == found.PeriodStart && i.Revision == CustomerBilling.Revision,
                cancellationToken);
        if (invoice is null)
        {
            return UseCaseResult<RerunDraftComparison>.NotFound("No finalized invoice for that subscription and month.");
        }

        return UseCaseResult<RerunDraftComparison>.Ok(new RerunDraftComparison(request.RunId, found.PeriodStart, found.Name, found.ExternalId, invoice.Id,
            invoice.Number, invoice.Draft, InvoiceDraft.FromCanonicalJson(found.DraftJson)));
    }
}
