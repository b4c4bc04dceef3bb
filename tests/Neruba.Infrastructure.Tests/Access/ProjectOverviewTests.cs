using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Neruba.Domain.Audit;
using Neruba.Domain.Ledger;
using Neruba.Domain.Money;
using Neruba.Infrastructure.Access;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Billing.Runs;
using Neruba.Infrastructure.Credits;
using Neruba.Infrastructure.Ledger;
using Neruba.Infrastructure.Metering;
using Neruba.Infrastructure.Tests.Billing;
using Neruba.Infrastructure.Tests.Metering;
using Neruba.Infrastructure.Tests.Support;

namespace Neruba.Infrastructure.Tests.Access;

/// <summary>The overview's figures on a real database, "now" taken from the harness clock.</summary>
public class ProjectOverviewTests
{
    // Records compare lists by reference; a figure is equal when its amounts are, in order.
    private static readonly IEqualityComparer<MoneyFigure> FigureComparer =
        EqualityComparer<MoneyFigure>.Create((a, b) => a!.Count == b!.Count && a.Amounts.SequenceEqual(b.Amounts), f => f.Count);

    private static MoneyAmount Usd(long minor) => new(minor, Currency.Of("USD"));

    private static MoneyAmount Eur(long minor) => new(minor, Currency.Of("EUR"));

    private static async Task<ProjectOverview> OverviewAsync(UseCaseHarness harness)
    {
        var result = await harness.RunAsync<GetProjectOverview, GetProjectOverview.Request, ProjectOverview>(harness.Admin, new());
        Assert.True(result.Succeeded, result.Message);
        return result.Value!;
    }

    [Fact]
    public async Task Money_figures_are_this_months_invoices_what_is_still_due_and_unexpired_credit_per_currency()
    {
        var (harness, lastMonth) = await BillingRunResultTests.StartInTwoCurrenciesAsync();
        await using var _ = harness;
        var run = await BillingRunTests.TriggerAsync(harness, lastMonth);
        await BillingRunTests.RunJobAsync(harness, run.Id);

        // Acme 50.50 (45.50 due), Globex 49.00 (44.00 due), Euro 30.00 EUR, all finalized now.
        var overview = await OverviewAsync(harness);
        Assert.Equal(ThisMonth(harness), overview.MonthStart);
        Assert.Equal(new MoneyFigure([Eur(3000), Usd(9950)], 3), overview.InvoicedThisMonth, FigureComparer);
        Assert.Equal(new MoneyFigure([Eur(3000), Usd(8950)], 3), overview.AmountDue, FigureComparer);
        Assert.Equal(await harness.QueryAsync(db => db.Customers.CountAsync()), overview.Customers);

        // Paid is no longer due; a voided invoice was never money invoiced.
        await SetStatusAsync(harness, "cus_globex", InvoiceStatus.Paid);
        await SetStatusAsync(harness, "cus_euro", InvoiceStatus.Void);
        overview = await OverviewAsync(harness);
        Assert.Equal(new MoneyFigure([Usd(9950)], 2), overview.InvoicedThisMonth, FigureComparer);
        Assert.Equal(new MoneyFigure([Usd(4550)], 1), overview.AmountDue, FigureComparer);

        // Credit: this month's plan credit (5.00 each, granted by the run), 20.00 of support credit and 7.00 that expires in a minute.
        var acme = await harness.QueryAsync(db => db.Customers.Where(c => c.ExternalId == "cus_acme").Select(c => c.Id).SingleAsync());
        await GrantAsync(harness, acme, "support", 2000, null);
        await GrantAsync(harness, acme, "short-lived", 700, harness.Clock.GetUtcNow().AddMinutes(1));
        overview = await OverviewAsync(harness);
        Assert.Equal(new MoneyFigure([Usd(500 + 500 + 2000 + 700)], 2), overview.CreditsOutstanding, FigureComparer);

        // Once it has expired it is not outstanding, even before the expiry job writes it off.
        harness.Clock.Advance(TimeSpan.FromMinutes(2));
        overview = await OverviewAsync(harness);
        Assert.Equal([Usd(500 + 500 + 2000)], overview.CreditsOutstanding.Amounts);

        // Next month the invoices are no longer this month's; what is due stays due.
        harness.Clock.Advance(overview.MonthStart.AddMonths(1).AddHours(1) - harness.Clock.GetUtcNow());
        overview = await OverviewAsync(harness);
        Assert.Equal(new MoneyFigure([], 0), overview.InvoicedThisMonth, FigureComparer);
        Assert.Equal([Usd(4550)], overview.AmountDue.Amounts);
    }

    [Fact]
    public async Task Approvals_late_events_and_the_last_run_say_what_needs_attention_in_a_fixed_number_of_queries()
    {
        var (harness, lastMonth) = await BillingRunResultTests.StartInTwoCurrenciesAsync();
        await using var _ = harness;
        var empty = await OverviewAsync(harness);
        Assert.Equal((null, 0, null, 0), (empty.LastRun, empty.Approvals.Count, empty.Approvals.OldestRequestedAt, empty.LateEvents.Events));

        var run = await BillingRunTests.TriggerAsync(harness, lastMonth);
        await BillingRunTests.RunJobAsync(harness, run.Id);
        var first = await RequestLargeGrantAsync(harness, "cus_globex");
        harness.Clock.Advance(TimeSpan.FromMinutes(5));
        await RequestLargeGrantAsync(harness, "cus_acme");
        await IngestStoreTests.IngestAsync(harness, [.. Enumerable.Range(1, 3).Select(i => new IncomingEvent($"late-{i}", "cus_acme", "api_calls",
            lastMonth.AddDays(9).ToString("O"), null))]);

        var overview = await OverviewAsync(harness);
        Assert.Equal((2, first.RequestedAt), (overview.Approvals.Count, overview.Approvals.OldestRequestedAt));
        Assert.Equal(3, overview.LateEvents.Events);
        Assert.Equal([lastMonth], overview.LateEvents.Months);
        var last = overview.LastRun!;
        Assert.Equal((run.Id, BillingRunKind.Manual, BillingRunStatus.Succeeded, 3), (last.Run.Id, last.Run.Kind, last.Run.Status, last.Run.Done));
        Assert.Equal([("EUR", 1), ("USD", 2)], last.Totals.Select(t => (t.Currency, t.Count)));
        Assert.Null(last.AlreadyInvoiced);

        // A second final run for the month bills nothing new, and the overview says so.
        var again = await BillingRunTests.TriggerAsync(harness, lastMonth);
        await BillingRunTests.RunJobAsync(harness, again.Id);
        var (later, queries) = await harness.CountQueriesAsync(() => OverviewAsync(harness));
        Assert.Equal(again.Id, later.LastRun!.Run.Id);
        Assert.Empty(later.LastRun.Totals);
        Assert.Equal((3, run.Id), (later.LastRun.AlreadyInvoiced!.Subscriptions, later.LastRun.AlreadyInvoiced.From.Single().RunId));

        // More grants, late events, runs and invoices: the same queries.
        await RequestLargeGrantAsync(harness, "cus_euro", "EUR");
        await IngestStoreTests.IngestAsync(harness, [.. Enumerable.Range(1, 20).Select(i => new IncomingEvent($"later-{i}", i % 2 == 0 ? "cus_acme" : "cus_globex",
            "api_calls", lastMonth.AddDays(12).ToString("O"), null))]);
        var third = await BillingRunTests.TriggerAsync(harness, lastMonth);
        await BillingRunTests.RunJobAsync(harness, third.Id);
        var (most, mostQueries) = await harness.CountQueriesAsync(() => OverviewAsync(harness));
        Assert.Equal((3, 23, third.Id), (most.Approvals.Count, most.LateEvents.Events, most.LastRun!.Run.Id));
        Assert.Equal(queries, mostQueries);
        Assert.InRange(queries, 1, 20);
    }

    [Fact]
    public async Task A_project_sees_only_its_own_figures()
    {
        var (harness, lastMonth) = await BillingRunTests.StartWithSubscriptionsAsync();
        await using var _ = harness;
        var run = await BillingRunTests.TriggerAsync(harness, lastMonth);
        await BillingRunTests.RunJobAsync(harness, run.Id);
        var elsewhere = await harness.AdminOfAnotherProjectAsync();

        var other = (await harness.RunAsync<GetProjectOverview, GetProjectOverview.Request, ProjectOverview>(elsewhere, new())).Value!;

        Assert.Equal(("Other project", 0, 0), (other.Name, other.Customers, other.InvoicedThisMonth.Count));
        Assert.Equal((null, 0), (other.LastRun, other.CreditsOutstanding.Amounts.Count));
    }

    private static DateTimeOffset ThisMonth(UseCaseHarness harness) => Domain.Billing.BillingCalendar.MonthStartOf(harness.Clock.GetUtcNow());

    private static Task<int> SetStatusAsync(UseCaseHarness harness, string externalId, InvoiceStatus status) => harness.QueryAsync(async db =>
    {
        var invoice = await (from i in db.Invoices join c in db.Customers on i.CustomerId equals c.Id where c.ExternalId == externalId select i).SingleAsync();
        invoice.Status = status;
        return await db.SaveChangesAsync();
    });

    private static Task<(JournalEntry Entry, bool Replayed)> GrantAsync(UseCaseHarness harness, Guid customerId, string key, long amount, DateTimeOffset? expiresAt) =>
        harness.Services.GetRequiredService<WalletWriter>().GrantAsync(new PostingContext(harness.ProjectId, key, harness.Clock.GetUtcNow(), ActorKind.System, "test",
            "Test", key), customerId, "USD", CreditSource.SupportGrant, amount, expiresAt, null);

    /// <summary>Above the default approval threshold (100.00), so it waits for Finance.</summary>
    private static async Task<CreditGrantView> RequestLargeGrantAsync(UseCaseHarness harness, string customer, string currency = "USD")
    {
        var grant = await harness.RunAsync<RequestCreditGrant, RequestCreditGrant.Request, CreditGrantView>(harness.Admin,
            new(customer, "150.00", currency, "goodwill", "Outage", null));
        Assert.Equal(CreditGrantStatus.PendingApproval, grant.Value!.Status);
        return grant.Value;
    }
}
