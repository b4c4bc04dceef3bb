using Hangfire;
using Microsoft.EntityFrameworkCore;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Infrastructure.Payments.Collection;

/// <summary>
/// After a billing run finishes, starts collecting each invoice it finalized with an amount due, when the project collects automatically.
/// An invoice with any attempt already is left alone, so a resumed run never starts a second collection.
/// </summary>
public sealed class AutoCollection(IDbContextFactory<NerubaDbContext> dbFactory, IBackgroundJobClient jobs, TimeProvider clock)
{
    public async Task StartForRunAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var projectId = await db.BillingRuns.Where(r => r.Id == runId).Select(r => r.ProjectId).SingleAsync(cancellationToken);
        var account = await db.StripeAccounts.AsNoTracking().SingleOrDefaultAsync(a => a.ProjectId == projectId, cancellationToken);
        if (account is not { IsConfigured: true, AutoCollect: true })
        {
            return;
        }

        var invoiceIds = db.BillingRunItems.Where(i => i.RunId == runId && i.InvoiceId != null).Select(i => i.InvoiceId!.Value);
        var invoices = await db.Invoices.AsNoTracking()
            .Where(i => invoiceIds.Contains(i.Id) && i.Status == InvoiceStatus.Finalized && i.AmountDue > 0
                && !db.CollectionAttempts.Any(a => a.InvoiceId == i.Id))
            .ToListAsync(cancellationToken);
        var attempts = invoices.Select(invoice => CollectionAttempts.New(invoice, 1, CollectionTrigger.Automatic, CollectionStatus.Requested, clock.GetUtcNow(),
            "Automatic collection")).ToList();
        db.CollectionAttempts.AddRange(attempts);
        await db.SaveChangesAsync(cancellationToken);
        foreach (var attempt in attempts)
        {
            jobs.Enqueue<CollectionJob>(job => job.RunAsync(attempt.Id, CancellationToken.None));
        }
    }
}
