using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Domain.Billing;
using Neruba.Domain.Ledger;
using Neruba.Domain.Money;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Billing.Runs;
using Neruba.Infrastructure.Metering;
using Neruba.Infrastructure.Persistence;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Access;

/// <summary>Amounts per currency (never added across currencies) and how many things they sum.</summary>
public sealed record MoneyFigure(IReadOnlyList<MoneyAmount> Amounts, int Count);

/// <summary>The project's newest run, what it produced and what it found invoiced already.</summary>
public sealed record LastBillingRun(BillingRunView Run, IReadOnlyList<BillingRunTotal> Totals, AlreadyInvoiced? AlreadyInvoiced);

public sealed record PendingApprovals(int Count, DateTimeOffset? OldestRequestedAt);

/// <summary>Late events not yet counted by a rerun: how many, and their months (newest first).</summary>
public sealed record LateBacklogSummary(int Events, IReadOnlyList<DateTimeOffset> Months);

/// <summary>"Is everything fine?" for one project, as of <see cref="AsOf"/> (the app's clock).</summary>
public sealed record ProjectOverview(Guid ProjectId, string Name, string DefaultCurrency, string TimeZone, int Customers, int Members, DateTimeOffset AsOf,
    MoneyFigure InvoicedThisMonth, MoneyFigure AmountDue, MoneyFigure CreditsOutstanding, LastBillingRun? LastRun, PendingApprovals Approvals,
    LateBacklogSummary LateEvents)
{
    public DateTimeOffset MonthStart => BillingCalendar.MonthStartOf(AsOf);
}

/// <summary>
/// The overview's figures, each summed or counted by the database: a fixed number of queries (about fifteen) however many invoices,
/// credit blocks, grants or runs there are.
/// </summary>
public sealed class GetProjectOverview : UseCase<GetProjectOverview.Request, ProjectOverview>
{
    public sealed record Request;

    public override AccessRule Access { get; } = new(Permission.ViewConsole);

    public override async Task<UseCaseResult<ProjectOverview>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var (db, projectId, now) = (context.Db, context.ProjectId, context.Now);
        var project = await db.Projects.AsNoTracking().FirstOrDefaultAsync(p => p.Id == projectId, cancellationToken);
        if (project is null)
        {
            return UseCaseResult<ProjectOverview>.NotFound("No such project.");
        }

        var customers = await db.Customers.CountAsync(c => c.ProjectId == projectId, cancellationToken);
        var members = await db.ProjectMemberships.CountAsync(m => m.ProjectId == projectId, cancellationToken);
        var invoices = db.Invoices.AsNoTracking().Where(i => i.ProjectId == projectId);
        var (monthStart, monthEnd) = (BillingCalendar.MonthStartOf(now), BillingCalendar.MonthStartOf(now).AddMonths(1));

        // A voided invoice was never money owed, so it is not "invoiced"; what is due is what finalized invoices still ask for.
        var invoiced = await Figure(invoices.Where(i => i.FinalizedAt >= monthStart && i.FinalizedAt < monthEnd && i.Status != InvoiceStatus.Void)
            .GroupBy(i => i.Currency).Select(g => new CurrencySum(g.Key, g.Sum(i => i.Subtotal), g.Count())), cancellationToken);
        var due = await Figure(invoices.Where(i => i.Status == InvoiceStatus.Finalized)
            .GroupBy(i => i.Currency).Select(g => new CurrencySum(g.Key, g.Sum(i => i.AmountDue), g.Count())), cancellationToken);
        var credits = await Figure(CreditsOutstanding(db, projectId, now), cancellationToken);

        var pending = db.CreditGrants.AsNoTracking().Where(g => g.ProjectId == projectId && g.Status == CreditGrantStatus.PendingApproval);
        var approvals = new PendingApprovals(await pending.CountAsync(cancellationToken), await pending.MinAsync(g => (DateTimeOffset?)g.RequestedAt, cancellationToken));
        var late = await LateUsage.BacklogQuery(db, projectId).ToListAsync(cancellationToken);

        return UseCaseResult<ProjectOverview>.Ok(new ProjectOverview(project.Id, project.Name, project.DefaultCurrency, project.TimeZone, customers, members, now,
            invoiced, due, credits, await LastRunAsync(db, projectId, cancellationToken), approvals,
            new LateBacklogSummary(late.Sum(r => r.LateEvents), late.Select(r => r.PeriodStart).OrderDescending().ToList())));
    }

    internal sealed record CurrencySum(string Currency, long Amount, int Count);

    /// <summary>What each unexpired credit block still holds (minus the postings naming it), per currency, and how many customers hold some.</summary>
    internal static IQueryable<CurrencySum> CreditsOutstanding(NerubaDbContext db, Guid projectId, DateTimeOffset now) =>
        from block in (from b in db.CreditBlocks.AsNoTracking()
                       join p in db.Postings.AsNoTracking() on (Guid?)b.Id equals p.CreditBlockId
                       where b.ProjectId == projectId && (b.ExpiresAt == null || b.ExpiresAt > now) && p.AccountId == b.WalletAccountId
                       group p by new { b.Id, b.Currency, b.CustomerId } into g
                       select new { g.Key.Currency, g.Key.CustomerId, Remaining = -g.Sum(p => p.Amount) })
        where block.Remaining > 0
        group block by block.Currency into g
        select new CurrencySum(g.Key, g.Sum(b => b.Remaining), g.Select(b => b.CustomerId).Distinct().Count());

    private static async Task<MoneyFigure> Figure(IQueryable<CurrencySum> sums, CancellationToken cancellationToken)
    {
        var rows = await sums.ToListAsync(cancellationToken);
        return new MoneyFigure(rows.OrderBy(r => r.Currency, StringComparer.Ordinal)
            .Select(r => new MoneyAmount(r.Amount, Currency.Of(r.Currency))).ToList(), rows.Sum(r => r.Count));
    }

    private static async Task<LastBillingRun?> LastRunAsync(NerubaDbContext db, Guid projectId, CancellationToken cancellationToken)
    {
        var run = await db.BillingRuns.AsNoTracking().Where(r => r.ProjectId == projectId).OrderByDescending(r => r.CreatedAt).ThenBy(r => r.Id)
            .FirstOrDefaultAsync(cancellationToken);
        if (run is null)
        {
            return null;
        }

        var (totals, skipped) = await BillingRunResultQuery.OutcomeAsync(db, run, cancellationToken);
        return new LastBillingRun(await BillingRunReads.ViewAsync(db, run, cancellationToken), totals, skipped);
    }
}
