using Neruba.Domain.Billing;
using Neruba.Infrastructure.Access.Projects;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Metering;
using Neruba.Infrastructure.Tests.Metering;
using Neruba.Infrastructure.Tests.Support;
using Neruba.Infrastructure.UseCases;
using SortField = Neruba.Infrastructure.Billing.Invoices.ListInvoices.SortField;

namespace Neruba.Infrastructure.Tests.Billing;

/// <summary>The invoice list pages, sorts and filters in the database, and only ever shows the project's own invoices.</summary>
public class InvoiceListTests
{
    private static Task<PageOf<InvoiceSummary>> List(UseCaseHarness harness, ListInvoices.Request request, Actor? actor = null) =>
        harness.ValueAsync<ListInvoices, ListInvoices.Request, PageOf<InvoiceSummary>>(request, actor);

    /// <summary>Last month billed: Acme 45.50 due (usage over the allowance), Globex 44.00 due (base fee less plan credit).</summary>
    private static async Task<(UseCaseHarness Harness, DateTimeOffset LastMonth)> BilledAsync()
    {
        var (harness, lastMonth) = await BillingRunTests.StartWithSubscriptionsAsync();
        var at = lastMonth.AddDays(3).ToString("O");
        await IngestStoreTests.IngestAsync(harness, [.. Enumerable.Range(1, 250).Select(i => new IncomingEvent($"c{i}", "cus_acme", "api_calls", at, null))]);
        var run = await BillingRunTests.TriggerAsync(harness, lastMonth);
        await BillingRunTests.RunJobAsync(harness, run.Id);
        return (harness, lastMonth);
    }

    [Fact]
    public async Task Sorting_by_amount_due_or_customer_orders_across_pages()
    {
        var (harness, _) = await BilledAsync();
        await using var _ = harness;

        var firstDue = await List(harness, new(null, null, null, 0, 1, SortField.AmountDue, Descending: true));
        var secondDue = await List(harness, new(null, null, null, 1, 1, SortField.AmountDue, Descending: true));
        var firstAscending = await List(harness, new(null, null, null, 0, 1, SortField.AmountDue, Descending: false));
        var byCustomerDescending = await List(harness, new(null, null, null, 0, 10, SortField.Customer, Descending: true));

        Assert.Equal((2, 4550L), (firstDue.Total, Assert.Single(firstDue.Items).AmountDue));
        Assert.Equal((2, 4400L), (secondDue.Total, Assert.Single(secondDue.Items).AmountDue));
        Assert.Equal("cus_globex", Assert.Single(firstAscending.Items).CustomerExternalId);
        Assert.Equal(["Globex Logistics", "Acme Analytics"], byCustomerDescending.Items.Select(i => i.CustomerName));
    }

    [Fact]
    public async Task A_page_far_beyond_the_end_is_empty_never_the_first_page_again()
    {
        var (harness, _) = await BilledAsync();
        await using var _ = harness;

        // 10,737,419 x 200 overflows an int to a negative offset, which SQLite reads as 0: the first page again under another number.
        var far = await List(harness, new(null, null, null, 10_737_419, 200, SortField.AmountDue, Descending: true));
        var last = await List(harness, new(null, null, null, int.MaxValue, 200, SortField.AmountDue, Descending: true));

        Assert.Equal((2, 0), (far.Total, far.Items.Count));
        Assert.Equal((2, 0), (last.Total, last.Items.Count));
        Assert.True((long)last.Page * last.PageSize < int.MaxValue);
    }

    [Fact]
    public async Task Filters_by_status_period_customer_and_currency_combine()
    {
        var (harness, lastMonth) = await BilledAsync();
        await using var _ = harness;
        var month = DateOnly.FromDateTime(lastMonth.UtcDateTime);

        Assert.Equal(2, (await List(harness, new(InvoiceStatus.Finalized, month, null, 0, 25, Currency: "usd"))).Total);
        Assert.Equal(0, (await List(harness, new(InvoiceStatus.Paid, null, null, 0, 25))).Total);
        Assert.Equal(0, (await List(harness, new(null, month.AddMonths(-1), null, 0, 25))).Total);
        Assert.Equal(0, (await List(harness, new(null, null, null, 0, 25, Currency: "EUR"))).Total);
        var globex = await List(harness, new(null, month, "cus_globex", 0, 25, Currency: "USD"));
        Assert.Equal("Globex Logistics", Assert.Single(globex.Items).CustomerName);
    }

    [Fact]
    public async Task Another_projects_invoices_never_appear()
    {
        var (harness, _) = await BilledAsync();
        await using var _ = harness;
        var other = await harness.RunAsync<CreateProject, ProjectSettingsInput, ProjectView>(harness.Admin, new("Other", "USD", "UTC", "100.00"));
        Assert.True(other.Succeeded, other.Message);

        var inOther = await List(harness, new(null, null, null, 0, 25, SortField.AmountDue), harness.Admin with { ProjectId = other.Value!.Id });

        Assert.Equal(0, inOther.Total);
        Assert.Empty(inOther.Items);
        Assert.Equal(2, (await List(harness, new(null, null, null, 0, 25))).Total);
    }
}
