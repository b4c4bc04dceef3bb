using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Neruba.Console.Components.Pages.Billing;
using Neruba.Infrastructure.Billing.Runs;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Console.Tests.Components;

/// <summary>A finished run's page pieces: its invoices a page at a time, its totals, and why a final run billed nothing new.</summary>
public class BillingRunResultComponentTests : MudTestContext
{
    private static readonly DateTimeOffset September = new(2026, 9, 1, 0, 0, 0, TimeSpan.Zero);

    private static BillingRunView Run(BillingRunKind kind, BillingRunStatus status = BillingRunStatus.Succeeded, int total = 4) =>
        new(Guid.NewGuid(), September, null, "All customers", kind, status, "op", September.AddMonths(1), September.AddMonths(1), September.AddMonths(1).AddSeconds(3),
            total, total, 0, "7");

    [Fact]
    public void A_final_runs_invoices_show_number_customer_and_amounts_and_each_row_opens_its_invoice()
    {
        var invoiceId = Guid.NewGuid();
        var customerId = Guid.NewGuid();
        var requests = new List<ListBillingRunResults.Request>();
        Task<UseCaseResult<PageOf<BillingRunResult>>> Load(ListBillingRunResults.Request request, CancellationToken _)
        {
            requests.Add(request);
            IReadOnlyList<BillingRunResult> items = [new(Guid.NewGuid(), customerId, "Acme Analytics", "cus_acme", invoiceId, "INV-000042", "USD", 123_456_78, 10_00, 123_446_78)];
            return Task.FromResult(UseCaseResult<PageOf<BillingRunResult>>.Ok(new(items, 31, request.Page, request.PageSize)));
        }

        Render<MudBlazor.MudPopoverProvider>();
        var runId = Guid.NewGuid();
        var table = Render<BillingRunResultsTable>(p => p.Add(c => c.RunId, runId).Add(c => c.Load, Load));

        table.WaitForAssertion(() => Assert.Single(table.FindAll("[data-testid=run-results] tbody tr")));
        var cells = table.FindAll("[data-testid=run-results] tbody tr td").Select(c => c.TextContent.Trim()).ToList();
        Assert.Equal(["INV-000042", "Acme Analytics", "cus_acme", "123,456.78 USD", "10.00 USD", "123,446.78 USD"], cells);
        Assert.Equal($"/customers/{customerId}", table.Find("[data-testid=run-result-customer]").GetAttribute("href"));
        Assert.Equal(new ListBillingRunResults.Request(runId, 0, 25, ListBillingRunResults.SortField.Invoice, false), requests[^1]);
        Assert.Equal(3, table.FindAll("[data-testid=run-results] tbody td.nb-num").Count);

        table.Find("[data-testid=run-results] tbody tr").Click();
        Assert.EndsWith($"/invoices/{invoiceId}", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dry_runs_drafts_show_the_amount_due_per_customer_without_an_invoice()
    {
        var requests = new List<ListBillingRunResults.Request>();
        Task<UseCaseResult<PageOf<BillingRunResult>>> Load(ListBillingRunResults.Request request, CancellationToken _)
        {
            requests.Add(request);
            IReadOnlyList<BillingRunResult> items = [new(Guid.NewGuid(), Guid.NewGuid(), "Euro GmbH", "cus_euro", null, null, "EUR", null, null, 30_00)];
            return Task.FromResult(UseCaseResult<PageOf<BillingRunResult>>.Ok(new(items, 1, request.Page, request.PageSize)));
        }

        Render<MudBlazor.MudPopoverProvider>();
        var table = Render<BillingRunResultsTable>(p => p.Add(c => c.RunId, Guid.NewGuid()).Add(c => c.Drafts, true).Add(c => c.Load, Load));

        table.WaitForAssertion(() => Assert.Single(table.FindAll("[data-testid=run-results] tbody tr")));
        Assert.Equal(["Customer", "External id", "Draft amount due"], table.FindAll("[data-testid=run-results] th").Select(h => h.TextContent.Trim()));
        Assert.Equal("30.00 EUR", table.Find("[data-testid=run-result-due]").TextContent.Trim());
        Assert.Equal(ListBillingRunResults.SortField.Customer, requests[^1].Sort);
        var before = Services.GetRequiredService<NavigationManager>().Uri;
        table.Find("[data-testid=run-results] tbody tr").Click();
        Assert.Equal(before, Services.GetRequiredService<NavigationManager>().Uri);
    }

    [Fact]
    public void A_final_run_that_found_every_customer_invoiced_says_it_billed_nothing_new_and_links_the_run_that_did()
    {
        var earlier = Guid.NewGuid();
        var details = new BillingRunDetails(Run(BillingRunKind.Manual), [], [], new AlreadyInvoiced(4, 4, [new EarlierRun(earlier, BillingRunKind.Manual, September.AddMonths(1), 4)]), null);

        var outcome = Render<BillingRunOutcome>(p => p.Add(c => c.Details, details));

        var alert = outcome.Find("[data-testid=run-nothing-new]");
        Assert.StartsWith("Billed nothing new: all 4 customers in scope already had a final invoice for 2026-09 (from final run of 2026-10-01 00:00",
            System.Text.RegularExpressions.Regex.Replace(alert.TextContent.Trim(), @"\s+", " "), StringComparison.Ordinal);
        Assert.Contains("To correct an invoice, start a rerun preview.", alert.TextContent, StringComparison.Ordinal);
        Assert.Equal($"/billing-runs/{earlier}", outcome.Find("[data-testid=run-skipped-from]").GetAttribute("href"));
        Assert.Equal("/billing-runs?month=2026-09&kind=rerun", outcome.FindAll("[data-testid=run-nothing-new] a")[^1].GetAttribute("href"));
        Assert.Empty(outcome.FindAll("[data-testid=run-totals]"));
    }

    [Fact]
    public void Totals_are_shown_per_currency_and_a_partial_skip_is_explained_without_calling_it_nothing_new()
    {
        var details = new BillingRunDetails(Run(BillingRunKind.Manual), [], [new BillingRunTotal("EUR", 1, 30_00, 0, 30_00), new BillingRunTotal("USD", 2, 99_50, 10_00, 89_50)],
            new AlreadyInvoiced(1, 1, [new EarlierRun(Guid.NewGuid(), BillingRunKind.Scheduled, September.AddMonths(1), 1)]), null);

        var outcome = Render<BillingRunOutcome>(p => p.Add(c => c.Details, details));

        Assert.Equal(["USD", "2", "99.50 USD", "10.00 USD", "89.50 USD"], outcome.FindAll("[data-testid=run-total-USD] td").Select(c => c.TextContent.Trim()));
        Assert.Equal(["EUR", "1", "30.00 EUR", "0.00 EUR", "30.00 EUR"], outcome.FindAll("[data-testid=run-total-EUR] td").Select(c => c.TextContent.Trim()));
        Assert.Empty(outcome.FindAll("[data-testid=run-nothing-new]"));
        Assert.Contains("1 customer already had a final invoice for 2026-09", outcome.Find("[data-testid=run-skipped]").TextContent, StringComparison.Ordinal);
        Assert.Contains("was not billed again", outcome.Find("[data-testid=run-skipped]").TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(BillingRunKind.Manual, "Final run for 2026-09", "Start final run for 2026-09", "Start final run")]
    [InlineData(BillingRunKind.DryRun, "Dry run for 2026-09", "Start dry run for 2026-09", "Start dry run")]
    [InlineData(BillingRunKind.Rerun, "Rerun preview for 2026-09", "Start rerun preview for 2026-09", "Start rerun preview")]
    public void The_start_dialog_says_the_runs_name_as_its_page_is_headed(BillingRunKind kind, string name, string title, string confirm)
    {
        Assert.Equal(name, BillingRunText.RunName(kind, September));
        Assert.Equal((title, confirm), BillingRunText.StartWords(kind, September));
    }

    [Fact]
    public void The_start_question_warns_when_every_subscription_is_invoiced_already()
    {
        var all = BillingRunText.StartQuestion(new BillingRunPreflight(BillingRunKind.Manual, September, null, "all customers", 4, 4));
        var some = BillingRunText.StartQuestion(new BillingRunPreflight(BillingRunKind.Manual, September, null, "all customers", 4, 1));

        Assert.StartsWith("Every subscription in scope (all customers, 4 subscriptions) already has its final invoice for 2026-09, so this run will bill nothing new.", all,
            StringComparison.Ordinal);
        Assert.StartsWith("Finalize invoices for 2026-09 (all customers, 4 subscriptions)? 1 subscription already invoiced will be skipped.", some, StringComparison.Ordinal);
    }
}
