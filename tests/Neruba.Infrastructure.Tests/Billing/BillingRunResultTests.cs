using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Billing;
using Neruba.Infrastructure.Billing.Plans;
using Neruba.Infrastructure.Billing.Runs;
using Neruba.Infrastructure.Billing.Subscriptions;
using Neruba.Infrastructure.Customers;
using Neruba.Infrastructure.Metering;
using Neruba.Infrastructure.Tests.Metering;
using Neruba.Infrastructure.Tests.Support;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Tests.Billing;

/// <summary>What a finished run shows: its invoices (or drafts) paged and sorted by the database, totals per currency, and what it skipped.</summary>
public class BillingRunResultTests
{
    private static readonly ListBillingRunResults.Request AllResults = new(Guid.Empty, PageSize: Paging.MaxPageSize);

    /// <summary>
    /// The two Pro customers in USD (Acme with 250 calls: 50.50 total, 5.00 credit, 45.50 due; Globex: 49.00, 5.00, 44.00) and
    /// cus_euro on a 30.00 EUR plan without credit (30.00 due).
    /// </summary>
    internal static async Task<(UseCaseHarness Harness, DateTimeOffset LastMonth)> StartInTwoCurrenciesAsync()
    {
        var (harness, lastMonth) = await BillingRunTests.StartWithSubscriptionsAsync();
        var plan = await harness.RunAsync<SavePlan, SavePlan.Request, PlanView>(harness.Admin, new("euro", "Euro", "EUR", BillingInterval.Monthly, "30.00",
            FeeTiming.InArrears, [], null, null));
        Assert.True(plan.Succeeded, plan.Message);
        var customer = await harness.RunAsync<CreateCustomer, CreateCustomer.Request, CustomerView>(harness.Admin,
            new("cus_euro", new CustomerInput("Euro GmbH", null, "EUR", "Europe/Berlin", null)));
        Assert.True(customer.Succeeded, customer.Message);
        var started = await harness.RunAsync<StartSubscription, StartSubscription.Request, SubscriptionView>(harness.Admin,
            new("cus_euro", "euro", DateOnly.FromDateTime(lastMonth.UtcDateTime), null));
        Assert.True(started.Succeeded, started.Message);
        var at = lastMonth.AddDays(3).ToString("O");
        await IngestStoreTests.IngestAsync(harness, [.. Enumerable.Range(1, 250).Select(i => new IncomingEvent($"c{i}", "cus_acme", "api_calls", at, null))]);
        return (harness, lastMonth);
    }

    [Fact]
    public async Task A_final_runs_page_lists_its_invoices_sorted_and_paged_by_the_database_with_totals_per_currency()
    {
        var (harness, lastMonth) = await StartInTwoCurrenciesAsync();
        await using var _ = harness;
        var run = await BillingRunTests.TriggerAsync(harness, lastMonth);
        await BillingRunTests.RunJobAsync(harness, run.Id);

        var details = (await harness.RunAsync<GetBillingRun, GetBillingRun.Request, BillingRunDetails>(harness.Admin, new(run.Id))).Value!;
        Assert.Equal([new BillingRunTotal("EUR", 1, 3000, 0, 3000), new BillingRunTotal("USD", 2, 5050 + 4900, 1000, 4550 + 4400)], details.Totals);
        Assert.Null(details.AlreadyInvoiced);

        var byDue = await PagesAsync(harness, AllResults with { RunId = run.Id, Sort = ListBillingRunResults.SortField.AmountDue, Descending = true }, pageSize: 2);
        Assert.Equal([("cus_acme", 4550L), ("cus_globex", 4400L), ("cus_euro", 3000L)], byDue.Select(r => (r.ExternalId, r.AmountDue)));
        var acme = byDue[0];
        Assert.Equal(("Acme Analytics", 5050L, 500L, "USD"), (acme.CustomerName, acme.Total, acme.CreditsApplied, acme.Currency));
        var invoices = await harness.QueryAsync(db => db.Invoices.ToDictionaryAsync(i => i.Id, i => i.Number));
        Assert.All(byDue, r => Assert.Equal(invoices[r.InvoiceId!.Value], r.InvoiceNumber));

        var byNumber = await PagesAsync(harness, AllResults with { RunId = run.Id }, pageSize: 2);
        Assert.Equal(invoices.Values.Order(StringComparer.Ordinal), byNumber.Select(r => r.InvoiceNumber));
        var byCustomer = await PagesAsync(harness, AllResults with { RunId = run.Id, Sort = ListBillingRunResults.SortField.Customer, Descending = true }, pageSize: 1);
        Assert.Equal(["Globex Logistics", "Euro GmbH", "Acme Analytics"], byCustomer.Select(r => r.CustomerName));
        var byTotal = await PagesAsync(harness, AllResults with { RunId = run.Id, Sort = ListBillingRunResults.SortField.Total }, pageSize: 2);
        Assert.Equal(["cus_euro", "cus_globex", "cus_acme"], byTotal.Select(r => r.ExternalId));
    }

    [Fact]
    public async Task A_second_final_run_for_a_billed_month_makes_nothing_new_and_names_the_run_that_billed_it()
    {
        var (harness, lastMonth) = await StartInTwoCurrenciesAsync();
        await using var _ = harness;
        var acmeOnly = await BillingRunTests.TriggerAsync(harness, lastMonth, customer: "cus_acme");
        await BillingRunTests.RunJobAsync(harness, acmeOnly.Id);
        var first = await BillingRunTests.TriggerAsync(harness, lastMonth);
        await BillingRunTests.RunJobAsync(harness, first.Id);
        var second = await BillingRunTests.TriggerAsync(harness, lastMonth);
        await BillingRunTests.RunJobAsync(harness, second.Id);

        // The whole-project run billed the two others and skipped Acme, invoiced by the run for Acme alone.
        var firstDetails = (await harness.RunAsync<GetBillingRun, GetBillingRun.Request, BillingRunDetails>(harness.Admin, new(first.Id))).Value!;
        Assert.Equal([("EUR", 1), ("USD", 1)], firstDetails.Totals.Select(t => (t.Currency, t.Count)));
        Assert.Equal((1, 1), (firstDetails.AlreadyInvoiced!.Subscriptions, firstDetails.AlreadyInvoiced.Customers));
        Assert.Equal([new EarlierRun(acmeOnly.Id, BillingRunKind.Manual, acmeOnly.CreatedAt, 1)], firstDetails.AlreadyInvoiced.From);

        // The second finds every subscription invoiced: no result rows, no totals, three skipped, from the two earlier runs (newest first).
        var secondDetails = (await harness.RunAsync<GetBillingRun, GetBillingRun.Request, BillingRunDetails>(harness.Admin, new(second.Id))).Value!;
        Assert.Equal((BillingRunStatus.Succeeded, 3, 3), (secondDetails.Run.Status, secondDetails.Run.Total, secondDetails.Run.Done));
        Assert.Empty(secondDetails.Totals);
        var skipped = secondDetails.AlreadyInvoiced!;
        Assert.Equal((3, 3), (skipped.Subscriptions, skipped.Customers));
        Assert.Equal([(first.Id, 2), (acmeOnly.Id, 1)], skipped.From.Select(r => (r.RunId, r.Subscriptions)));
        var results = (await harness.RunAsync<ListBillingRunResults, ListBillingRunResults.Request, PageOf<BillingRunResult>>(harness.Admin,
            AllResults with { RunId = second.Id })).Value!;
        Assert.Equal(0, results.Total);
        Assert.Equal(3, await harness.QueryAsync(db => db.Invoices.CountAsync()));
    }

    [Fact]
    public async Task A_dry_run_lists_each_customers_draft_amount_without_an_invoice_and_totals_them_per_currency()
    {
        var (harness, lastMonth) = await StartInTwoCurrenciesAsync();
        await using var _ = harness;
        var dry = await BillingRunTests.TriggerAsync(harness, lastMonth, dryRun: true);
        await BillingRunTests.RunJobAsync(harness, dry.Id);

        var details = (await harness.RunAsync<GetBillingRun, GetBillingRun.Request, BillingRunDetails>(harness.Admin, new(dry.Id))).Value!;
        Assert.Equal([new BillingRunTotal("EUR", 1, null, null, 3000), new BillingRunTotal("USD", 2, null, null, 8950)], details.Totals);
        Assert.Null(details.AlreadyInvoiced);
        var drafts = await PagesAsync(harness, AllResults with { RunId = dry.Id, Sort = ListBillingRunResults.SortField.ExternalId }, pageSize: 2);
        Assert.Equal([("cus_acme", 4550L, "USD"), ("cus_euro", 3000L, "EUR"), ("cus_globex", 4400L, "USD")], drafts.Select(d => (d.ExternalId, d.AmountDue, d.Currency)));
        Assert.All(drafts, d => Assert.Equal((null, null, null), (d.InvoiceId, d.InvoiceNumber, d.Total)));
    }

    [Fact]
    public async Task Results_of_another_projects_run_are_not_found()
    {
        var (harness, lastMonth) = await BillingRunTests.StartWithSubscriptionsAsync();
        await using var _ = harness;
        var run = await BillingRunTests.TriggerAsync(harness, lastMonth);
        var elsewhere = await harness.AdminOfAnotherProjectAsync();

        var foreign = await harness.RunAsync<ListBillingRunResults, ListBillingRunResults.Request, PageOf<BillingRunResult>>(elsewhere, AllResults with { RunId = run.Id });

        Assert.Equal(UseCaseStatus.NotFound, foreign.Status);
    }

    private static async Task<List<BillingRunResult>> PagesAsync(UseCaseHarness harness, ListBillingRunResults.Request request, int pageSize)
    {
        var rows = new List<BillingRunResult>();
        for (var page = 0; ; page++)
        {
            var result = await harness.RunAsync<ListBillingRunResults, ListBillingRunResults.Request, PageOf<BillingRunResult>>(harness.Admin,
                request with { Page = page, PageSize = pageSize });
            Assert.True(result.Succeeded, result.Message);
            Assert.InRange(result.Value!.Items.Count, 0, pageSize);
            if (result.Value.Items.Count == 0)
            {
                return rows;
            }

            rows.AddRange(result.Value.Items);
        }
    }
}
