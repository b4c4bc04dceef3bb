using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Billing;
using Neruba.Domain.Ledger;
using Neruba.Domain.Metering;
using Neruba.Infrastructure.Ledger;
using Neruba.Infrastructure.Metering;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Infrastructure.Billing.Runs;

/// <summary>
/// Reads what rating needs for one subscription and month, as of fixed points so that a retry or a rerun
/// with no new input reads the same: events up to the run's watermark, and wallet postings made before
/// the month ended (so the run's own credit application never changes what a rerun sees).
/// </summary>
internal static class RatingInputLoader
{
    internal sealed record UsageRow(string EventId, DateTimeOffset OccurredAt, string Properties);

    public static async Task<RatingInput> LoadAsync(NerubaDbContext db, SubscriptionRecord subscription, DateSpan month, long eventWatermark,
        CancellationToken cancellationToken)
    {
        var phaseRows = await db.SubscriptionPhases.AsNoTracking().Where(p => p.SubscriptionId == subscription.Id).OrderBy(p => p.From).ToListAsync(cancellationToken);
        var versionIds = phaseRows.Select(p => p.PlanVersionId).Distinct().ToList();
        var versions = await db.PlanVersions.AsNoTracking().Where(v => versionIds.Contains(v.Id)).ToDictionaryAsync(v => v.Id, cancellationToken);
        var planIds = versions.Values.Select(v => v.PlanId).Distinct().ToList();
        var plans = await db.Plans.AsNoTracking().Where(p => planIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
        var phases = phaseRows.Select(p =>
        {
            var version = versions[p.PlanVersionId];
            var plan = plans[version.PlanId];
            return new SubscriptionPhase(new PlanVersionSnapshot(version.Id, plan.Code, version.Name, version.Number, version.Terms), p.From, p.To);
        }).ToList();

        var usage = await UsageAsync(db, subscription, phases, month, eventWatermark, cancellationToken);
        var terms = phases[0].Version.Terms;
        var feePeriod = BillingCalendar.FeePeriodContaining(terms.Interval, subscription.BillingAnchor, month.Start);
        var nextFeePeriod = BillingCalendar.FeePeriodContaining(terms.Interval, subscription.BillingAnchor, month.End);
        var (current, next) = await BaseFeeBilledAsync(db, subscription.Id, month.Start, feePeriod.Start, nextFeePeriod.Start, cancellationToken);
        var credits = await CreditsAtAsync(db, subscription, terms.Currency, month.End, month.Start, cancellationToken);
        return new RatingInput(subscription.Id, subscription.CustomerId, month.Start, subscription.BillingAnchor, phases, usage, current, credits, next);
    }

    private static async Task<List<PhaseUsage>> UsageAsync(NerubaDbContext db, SubscriptionRecord subscription, List<SubscriptionPhase> phases, DateSpan month,
        long watermark, CancellationToken cancellationToken)
    {
        var codes = phases.SelectMany(p => p.Version.Terms.Charges.Select(c => c.MetricCode)).Distinct().ToList();
        var metrics = await db.BillableMetrics.AsNoTracking().Where(m => m.ProjectId == subscription.ProjectId && codes.Contains(m.Code)).ToListAsync(cancellationToken);
        var usage = new List<PhaseUsage>();
        foreach (var phase in phases)
        {
            var from = phase.From > month.Start ? phase.From : month.Start;
            var to = phase.To is { } t && t < month.End ? t : month.End;
            if (from >= to)
            {
                continue;
            }

            foreach (var metric in metrics.Where(m => phase.Version.Terms.Charges.Any(c => c.MetricCode == m.Code)))
            {
                var accumulator = new MetricAggregator.Accumulator(metric);
                await foreach (var row in UsageRows(db, subscription.CustomerId, metric.Id, from, to, watermark).AsAsyncEnumerable().WithCancellation(cancellationToken))
                {
                    accumulator.Add(new MeteredEvent(row.EventId, row.OccurredAt, EventValidator.ReadProperties(row.Properties)));
                }

                usage.Add(new PhaseUsage(phase.From, metric.Code, accumulator.Value));
            }
        }

        return usage;
    }

    /// <summary>A customer's events of one metric in [from, to) that the watermark covers.</summary>
    internal static IQueryable<UsageRow> UsageRows(NerubaDbContext db, Guid customerId, Guid metricId, DateTimeOffset from, DateTimeOffset to, long watermark)
    {
        // The month range says nothing new (an event's month is that of its time) but lets the query seek the (customer, month) index.
        var firstMonth = UsagePeriods.StartOf(from);
        return db.UsageEvents.AsNoTracking()
            .Where(e => e.CustomerId == customerId && e.PeriodStart >= firstMonth && e.PeriodStart < to
                && e.MetricId == metricId && e.OccurredAt >= from && e.OccurredAt < to && e.Id <= watermark)
            .Select(e => new UsageRow(e.EventId, e.OccurredAt, e.Properties));
    }

    /// <summary>
    /// Base fee other months' invoices charged. For the current fee period: what earlier months billed
    /// (advances and adjustments). For the next one: whether a later month, run first, already billed it
    /// (its own fee lines, not adjustments, which assume this month's advance). Never this month's own
    /// invoice, so a rerun reads what the first run read.
    /// </summary>
    private static async Task<(long? Current, long? Next)> BaseFeeBilledAsync(NerubaDbContext db, Guid subscriptionId, DateTimeOffset monthStart,
        DateTimeOffset currentFeePeriod, DateTimeOffset nextFeePeriod, CancellationToken cancellationToken)
    {
        var others = await db.Invoices.AsNoTracking()
            .Where(i => i.SubscriptionId == subscriptionId && i.PeriodStart != monthStart && i.Status != Invoices.InvoiceStatus.Void)
            .Select(i => new { i.PeriodStart, i.Draft }).ToListAsync(cancellationToken);
        var current = others.Where(i => i.PeriodStart < monthStart).SelectMany(i => i.Draft.Lines)
            .Where(l => l.Kind is InvoiceLineKind.BaseFee or InvoiceLineKind.BaseFeeAdjustment && l.FeePeriodStart == currentFeePeriod).ToList();
        var next = others.Where(i => i.PeriodStart > monthStart).SelectMany(i => i.Draft.Lines)
            .Where(l => l.Kind == InvoiceLineKind.BaseFee && l.FeePeriodStart == nextFeePeriod).ToList();
        return (current.Count == 0 ? null : current.Sum(l => l.Amount), next.Count == 0 ? null : next.Sum(l => l.Amount));
    }

    /// <summary>
    /// The wallet's blocks as they stood when the month ended, less what invoices finalized since then drew
    /// (a sibling subscription's invoice for the same month, after a cancel and restart or beside a second
    /// subscription, or a later month's invoice finalized first). Only invoices numbered before this subscription's own count, so a rerun reads what the
    /// first run read, and two invoices never draw the same credit.
    /// </summary>
    private static async Task<List<BlockBalance>> CreditsAtAsync(NerubaDbContext db, SubscriptionRecord subscription, string currency, DateTimeOffset cutoff,
        DateTimeOffset monthStart, CancellationToken cancellationToken)
    {
        var code = LedgerAccount.CodeFor(AccountKind.CustomerWallet, currency, subscription.CustomerId);
        var wallet = await db.LedgerAccounts.AsNoTracking().FirstOrDefaultAsync(a => a.ProjectId == subscription.ProjectId && a.Code == code, cancellationToken);
        if (wallet is null)
        {
            return [];
        }

        var blocks = await db.CreditBlocks.AsNoTracking().Where(b => b.WalletAccountId == wallet.Id && b.CreatedAt < cutoff).ToListAsync(cancellationToken);
        var sums = await BlockSumsBefore(db, wallet.Id, cutoff).ToDictionaryAsync(x => x.BlockId, x => x.Sum, cancellationToken);
        var drawnSince = await DrawnSinceAsync(db, subscription, currency, cutoff, monthStart, cancellationToken);
        return blocks.Select(b => new BlockBalance(b.Id, -sums.GetValueOrDefault(b.Id) - drawnSince.GetValueOrDefault(b.Id), b.ExpiresAt, b.Priority, b.CreatedAt))
            .Where(b => b.Remaining > 0).OrderBy(b => b.BlockId).ToList();
    }

    /// <summary>Like <see cref="LedgerQueries.BlockSums"/>, counting only entries made before the cutoff.</summary>
    internal static IQueryable<BlockSum> BlockSumsBefore(NerubaDbContext db, Guid walletId, DateTimeOffset cutoff) =>
        from p in db.Postings.AsNoTracking()
        join e in db.JournalEntries.AsNoTracking() on p.EntryId equals e.Id
        where p.AccountId == walletId && p.CreditBlockId != null && e.At < cutoff
        group p by p.CreditBlockId into g
        select new BlockSum(g.Key!.Value, g.Sum(p => p.Amount));

    /// <summary>
    /// Credit per block drawn by the customer's invoices finalized at or after the cutoff and numbered before this subscription's invoice for the month
    /// (its own other months included: a later month billed first has drawn too).
    /// </summary>
    private static async Task<Dictionary<Guid, long>> DrawnSinceAsync(NerubaDbContext db, SubscriptionRecord subscription, string currency, DateTimeOffset cutoff,
        DateTimeOffset monthStart, CancellationToken cancellationToken)
    {
        var own = await db.Invoices.AsNoTracking()
            .Where(i => i.SubscriptionId == subscription.Id && i.PeriodStart == monthStart && i.Revision == CustomerBilling.Revision)
            .Select(i => (long?)i.Sequence).FirstOrDefaultAsync(cancellationToken);
        var drafts = await db.Invoices.AsNoTracking()
            .Where(i => i.CustomerId == subscription.CustomerId && i.Currency == currency && i.FinalizedAt >= cutoff && i.CreditsApplied != 0
                && i.Status != Invoices.InvoiceStatus.Void
                && !(i.SubscriptionId == subscription.Id && i.PeriodStart == monthStart) && (own == null || i.Sequence < own))
            .Select(i => i.Draft).ToListAsync(cancellationToken);
        return drafts.SelectMany(d => d.Credits).GroupBy(c => c.BlockId).ToDictionary(g => g.Key, g => g.Sum(c => c.Amount));
    }
}
