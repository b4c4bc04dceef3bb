using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Billing;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Infrastructure.Billing.Invoices;

/// <summary>
/// Credit valid until a month's end pays that month's invoice, which is finalized only after the grace
/// period. Expiry therefore waits until every subscription of the customer that ran in that month has its invoice.
/// </summary>
public static class CreditExpiryHold
{
    public static async Task<bool> AwaitsInvoiceAsync(this NerubaDbContext db, BlockBalance block, Guid customerId, CancellationToken cancellationToken) =>
        await db.HeldForMonthAsync(block.ExpiresAt, customerId, cancellationToken) is not null;

    /// <summary>
    /// The month (its start) whose invoice an expired block still waits for, or null when it can be written off. An invoice draws only
    /// credit still valid at its month's end, so only a block that expires exactly as a month ends can pay that month's invoice:
    /// one that expires mid-month pays nothing more and is written off at once.
    /// </summary>
    public static async Task<DateTimeOffset?> HeldForMonthAsync(this NerubaDbContext db, DateTimeOffset? expiresAt, Guid customerId, CancellationToken cancellationToken)
    {
        if (expiresAt is not { } expires || !BillingCalendar.IsMonthStart(expires.ToUniversalTime()))
        {
            return null;
        }

        var month = BillingCalendar.Month(BillingCalendar.MonthStartOf(expires.AddTicks(-1)));
        return await RunningIn(db, customerId, month)
            .AnyAsync(s => !db.Invoices.Any(i => i.SubscriptionId == s.Id && i.PeriodStart == month.Start), cancellationToken) ? month.Start : null;
    }

    /// <summary>
    /// The month before a block was added, when that month's invoice did not (or will not) use it: an invoice draws only the credit
    /// that existed when its month ended, so a grant made during the grace period reaches the next month's invoice, not the one being prepared.
    /// Null when that month had nothing to bill or was already invoiced before the block existed.
    /// </summary>
    public static async Task<DateTimeOffset?> MissedMonthAsync(this NerubaDbContext db, DateTimeOffset addedAt, Guid customerId, CancellationToken cancellationToken)
    {
        var month = BillingCalendar.Month(BillingCalendar.MonthStartOf(addedAt).AddMonths(-1));
        return await RunningIn(db, customerId, month)
            .AnyAsync(s => !db.Invoices.Any(i => i.SubscriptionId == s.Id && i.PeriodStart == month.Start && i.FinalizedAt <= addedAt), cancellationToken) ? month.Start : null;
    }

    /// <summary>The customer's subscriptions that ran for part of the month, the ones owing it an invoice.</summary>
    private static IQueryable<SubscriptionRecord> RunningIn(NerubaDbContext db, Guid customerId, DateSpan month) =>
        db.Subscriptions.Where(s => s.CustomerId == customerId && s.StartsAt < month.End && (s.EndsAt == null || s.EndsAt > month.Start));
}
