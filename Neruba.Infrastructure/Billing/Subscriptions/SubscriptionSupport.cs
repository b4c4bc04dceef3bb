using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Billing;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Billing.Runs;
using Neruba.Infrastructure.Ledger;
using Neruba.Infrastructure.Persistence;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Billing.Subscriptions;

public sealed record SubscriptionPhaseView(Guid PlanVersionId, string PlanCode, string PlanName, int VersionNumber, DateTimeOffset From, DateTimeOffset? To);

public sealed record SubscriptionView(Guid Id, Guid CustomerId, string PlanCode, string PlanName, string Currency, BillingInterval Interval,
    DateTimeOffset StartsAt, DateTimeOffset? EndsAt, DateTimeOffset BillingAnchor, IReadOnlyList<SubscriptionPhaseView> Phases)
{
    public string StatusAt(DateTimeOffset now) => now < StartsAt ? "Scheduled" : EndsAt is { } e && e <= now ? "Ended" : EndsAt is not null ? "Cancelling" : "Active";

    public object ForAudit() => new { PlanCode, StartsAt, EndsAt, Phases = Phases.Select(p => new { p.PlanCode, p.VersionNumber, p.From, p.To }) };
}

internal static class SubscriptionRules
{
    public static DateTimeOffset DayStart(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    private static readonly DateOnly FirstDay = new(2000, 1, 1);
    private static readonly DateOnly LastDay = new(2100, 12, 31);

    /// <summary>Billing days from 2000 to 2100: 9999-12-31 is a typo, and month arithmetic past it would overflow.</summary>
    public static ValidationErrors Day(this ValidationErrors errors, string field, DateOnly? day) =>
        day is { } value && (value < FirstDay || value > LastDay) ? errors.Add(field, $"{field} must be a day from {FirstDay:yyyy-MM-dd} to {LastDay:yyyy-MM-dd}.") : errors;

    public static async Task<(PlanRecord? Plan, PlanVersionRecord? Version)> NewestVersionAsync(UseCaseContext context, string code, CancellationToken cancellationToken)
    {
        var plan = await context.Db.Plans.FirstOrDefaultAsync(p => p.ProjectId == context.ProjectId && p.Code == code.Trim(), cancellationToken);
        var version = plan is null ? null
            : await context.Db.PlanVersions.Where(v => v.PlanId == plan.Id).OrderByDescending(v => v.Number).FirstOrDefaultAsync(cancellationToken);
        return (plan, version);
    }

    /// <summary>
    /// The end of the last month billed for the customer: its last finalized invoice, or the last month a final run covered it in (a
    /// run over the whole project or over this customer lists the subscriptions once, when it starts, and never looks again). A
    /// subscription started or changed before it would rewrite billed history, or never be billed at all.
    /// </summary>
    public static async Task<DateTimeOffset?> InvoicedThroughAsync(UseCaseContext context, Guid customerId, CancellationToken cancellationToken)
    {
        var ends = await context.Db.Invoices.Where(i => i.CustomerId == customerId).Select(i => i.PeriodEnd).ToListAsync(cancellationToken);
        var runMonths = await context.Db.BillingRuns
            .Where(r => r.ProjectId == context.ProjectId && (r.CustomerId == null || r.CustomerId == customerId)
                && (r.Kind == BillingRunKind.Scheduled || r.Kind == BillingRunKind.Manual))
            .Select(r => r.PeriodStart).ToListAsync(cancellationToken);
        var billed = ends.Concat(runMonths.Select(month => month.AddMonths(1))).ToList();
        return billed.Count == 0 ? null : billed.Max();
    }
}

internal static class SubscriptionReads
{
    public static async Task<SubscriptionView> ViewAsync(NerubaDbContext db, SubscriptionRecord subscription, CancellationToken cancellationToken)
    {
        // Tracked phases carry this change's edits; the rest come from the database.
        var tracked = db.SubscriptionPhases.Local.Where(p => p.SubscriptionId == subscription.Id).ToList();
        var phases = tracked.Where(p => db.Entry(p).State != EntityState.Deleted)
            .Concat((await db.SubscriptionPhases.AsNoTracking().Where(p => p.SubscriptionId == subscription.Id).ToListAsync(cancellationToken))
                .Where(p => tracked.All(t => t.Id != p.Id)))
            .OrderBy(p => p.From).ToList();
        var versionIds = phases.Select(p => p.PlanVersionId).Distinct().ToList();
        var versions = await db.PlanVersions.AsNoTracking().Where(v => versionIds.Contains(v.Id)).ToListAsync(cancellationToken);
        versions.AddRange(db.PlanVersions.Local.Where(v => versionIds.Contains(v.Id) && versions.All(x => x.Id != v.Id)));
        var planIds = versions.Select(v => v.PlanId).Distinct().ToList();
        var plans = await db.Plans.AsNoTracking().Where(p => planIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
        var phaseViews = phases.Select(p =>
        {
            var version = versions.First(v => v.Id == p.PlanVersionId);
            var plan = plans[version.PlanId];
            return new SubscriptionPhaseView(version.Id, plan.Code, version.Name, version.Number, p.From, p.To);
        }).ToList();
        var current = phaseViews[^1];
        var terms = versions.First(v => v.Id == current.PlanVersionId).Terms;
        return new SubscriptionView(subscription.Id, subscription.CustomerId, current.PlanCode, current.PlanName, terms.Currency, terms.Interval,
            subscription.StartsAt, subscription.EndsAt, subscription.BillingAnchor, phaseViews);
    }
}

/// <summary>Posts a plan's prepaid credit for a month as a credit block, once per (subscription, month).</summary>
public static class SubscriptionLedger
{
    public static string PlanCreditKey(Guid subscriptionId, DateTimeOffset monthStart) => $"plan-credit:{subscriptionId:N}:{monthStart:yyyy-MM}";

    internal static async Task GrantPlanCreditAsync(NerubaDbContext db, SubscriptionRecord subscription, PlanTerms terms, DateTimeOffset monthStart, DateTimeOffset now,
        Actor actor, CancellationToken cancellationToken)
    {
        if (terms.PrepaidCreditPerPeriod <= 0)
        {
            return;
        }

        var key = PlanCreditKey(subscription.Id, monthStart);
        if (db.JournalEntries.Local.Any(e => e.ProjectId == subscription.ProjectId && e.IdempotencyKey == key)
            || await db.JournalEntries.AnyAsync(e => e.ProjectId == subscription.ProjectId && e.IdempotencyKey == key, cancellationToken))
        {
            return;
        }

        var wallet = await db.AccountAsync(subscription.ProjectId, AccountKind.CustomerWallet, terms.Currency, subscription.CustomerId, cancellationToken);
        var expense = await db.AccountAsync(subscription.ProjectId, AccountKind.PromotionalExpense, terms.Currency, null, cancellationToken);
        // Effective from the month's start, whenever it is posted: a backdated subscription's credit still counts for that month's invoice.
        var context = new PostingContext(subscription.ProjectId, key, monthStart < now ? monthStart : now, actor.Kind, actor.Id, actor.Name, $"Plan credit for {monthStart:yyyy-MM}");
        // Plan credit lives for its month: it is used by that month's invoice, then expires.
        var (entry, block) = CreditPostings.Grant(context, wallet, expense, CreditSource.PlanAllowance, terms.PrepaidCreditPerPeriod, monthStart.AddMonths(1), null,
            $"subscription:{subscription.Id}");
        wallet.Touch();
        db.JournalEntries.Add(entry);
        db.CreditBlocks.Add(block);
    }
}
