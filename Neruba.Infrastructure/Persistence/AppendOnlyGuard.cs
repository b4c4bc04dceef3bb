using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Neruba.Domain.Audit;
using Neruba.Domain.Ledger;

namespace Neruba.Infrastructure.Persistence;

/// <summary>
/// Records that must never change once written (audit entries, journal entries and their postings,
/// credit blocks, usage events, plan versions, usage cutoffs, support notes) can only be added. An update or delete of one fails the whole save, so nothing else in it is written either.
/// </summary>
internal static class AppendOnlyGuard
{
    private static readonly HashSet<Type> AppendOnlyTypes =
        [typeof(AuditEntry), typeof(JournalEntry), typeof(Posting), typeof(CreditBlock), typeof(Metering.UsageEventRecord), typeof(Billing.PlanVersionRecord),
         typeof(Metering.UsageCutoffRecord), typeof(Metering.UsageCutoffWindowRecord),
         typeof(Billing.Corrections.PaymentRecord), typeof(Metering.LateUsageClearanceRecord),
         typeof(Customers.Notes.CustomerNoteRecord)];

    public static void Check(ChangeTracker changes)
    {
        foreach (var entry in changes.Entries())
        {
            // A finalized invoice's lines and totals never change, only its correction state (status, what is due, credited, paid...):
            // corrections are new documents.
            if (entry.Entity is Billing.Invoices.InvoiceRecord && (entry.State == EntityState.Deleted
                || (entry.State == EntityState.Modified
                    && entry.Properties.Any(p => p.IsModified && !Billing.Invoices.InvoiceRecord.CorrectionState.Contains(p.Metadata.Name)))))
            {
                throw new InvalidOperationException("A finalized invoice's lines and totals are never changed or deleted; correct it with a new document.");
            }

            if (entry.State is EntityState.Modified or EntityState.Deleted && AppendOnlyTypes.Contains(entry.Metadata.ClrType))
            {
                throw new InvalidOperationException($"{entry.Metadata.ClrType.Name} records are append-only: they are never changed or deleted.");
            }
        }
    }
}
