using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Billing;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Infrastructure.Billing.Invoices;

/// <summary>
/// Credit valid until a month's end pays that month's invoice, which is finalized only after the grace
/// period. Expiry therefore waits until every subscription of the customer that ran in that month has its invoice.
/// </summary>
internal static class CreditExpiryHold
{
    public static async Task<bool> AwaitsInvoiceAsync(this NerubaDbContext db, BlockBalance block, Guid customerId, CancellationToken cancellationToken)
    {
        if (block.ExpiresAt is not { } expires)
        {
            return false;
        }

        var month = BillingCalendar.Month(BillingCalendar.MonthStartOf(expires.AddTicks(-1)));
        return await db.Subscriptions.AnyAsync(s => s.CustomerId == customerId && s.StartsAt < month.End && (s.EndsAt == null || s.EndsAt > month.Start)
            && !db.Invoices.Any(i => i.SubscriptionId == s.Id && i.PeriodStart == month.Start), cancellationToken);
    }
}
