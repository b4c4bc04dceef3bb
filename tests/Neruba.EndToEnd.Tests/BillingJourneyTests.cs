using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Neruba.EndToEnd.Tests.Support;

namespace Neruba.EndToEnd.Tests;

public class BillingJourneyTests
{
    [Fact]
    public async Task An_operator_runs_last_months_billing_watches_it_finish_and_follows_an_invoice_line_back_to_usage_and_plan()
    {
        await using var console = await ConsoleProcess.StartAsync();
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.NewPageAsync(console.BaseAddress);

        await Screenshots.OnFailureAsync(page, console, "billing-journey", async () =>
        {
            await Browser.SignInAsync(page, ConsoleProcess.AdminEmail, ConsoleProcess.AdminPassword);

            // The demo project's plans are there to read.
            await page.GotoAsync("/billing-runs/plans");
            await Assertions.Expect(page.Locator("[data-testid=plan-card]").First).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("body")).ToContainTextAsync("Starter");
            await Screenshots.SaveAsync(page, "plans");

            // Last month is preselected. A scope the server would refuse is explained on the form, and no dialog opens.
            var month = new DateTimeOffset(console.Now.Year, console.Now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(-1).ToString("yyyy-MM", CultureInfo.InvariantCulture);
            await page.GotoAsync("/billing-runs");
            await Browser.WaitUntilInteractiveAsync(page);
            await page.Locator("[data-testid=run-customer]").FillAsync("cus_nobody");
            await page.Locator("[data-testid=run-start]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=form-error]")).ToContainTextAsync("No customer 'cus_nobody' in this project.");
            await Assertions.Expect(page.Locator(".mud-dialog")).ToHaveCountAsync(0);
            await Screenshots.SaveAsync(page, "billing-run-refused");
            await page.Locator("[data-testid=run-customer]").FillAsync("");

            // Starting asks for confirmation before money moves, in the words of the run's name.
            await page.Locator("[data-testid=run-start]").ClickAsync();
            var dialog = page.Locator(".mud-dialog");
            await Assertions.Expect(dialog).ToContainTextAsync($"Start final run for {month}");
            await Screenshots.SaveAsync(page, "billing-run-confirm");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Start final run" }).ClickAsync();

            // The run page follows the run live to the end: the four demo subscriptions, their invoices and the totals.
            await Browser.WaitForAddressAsync(page, Browser.RunPage);
            var firstRun = page.Url;
            await Assertions.Expect(page.Locator("[data-testid=run-status]")).ToHaveTextAsync("Succeeded", new() { Timeout = 30_000 });
            await Assertions.Expect(page.Locator("[data-testid=run-name]")).ToHaveTextAsync($"Final run for {month}");
            await Assertions.Expect(page.Locator("[data-testid=run-progress-text]")).ToContainTextAsync("4 of 4 customers");
            await Assertions.Expect(page.Locator("[data-testid=run-job-link]")).ToContainTextAsync("Hangfire job");
            var results = page.Locator("[data-testid=run-results] tbody tr");
            await Assertions.Expect(results).ToHaveCountAsync(4);
            await Assertions.Expect(results.Filter(new() { HasTextString = "Acme Analytics" })).ToContainTextAsync("41.80 USD");
            await Assertions.Expect(page.Locator("[data-testid=run-total-USD]")).ToBeVisibleAsync();
            var totals = await page.Locator("[data-testid=run-total-USD] td").AllTextContentsAsync();
            var dues = await page.Locator("[data-testid=run-result-due]").AllTextContentsAsync();
            Assert.Equal("4", totals[1].Trim());
            Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"{dues.Sum(Minor) / 100m:#,0.00} USD"), totals[4].Trim());
            await Screenshots.SaveAsync(page, "billing-run");

            // Starting the same month again: a double click opens one dialog, which says it will bill nothing new; the run's page says why.
            await page.GotoAsync("/billing-runs");
            await Browser.WaitUntilInteractiveAsync(page);
            await Assertions.Expect(page.Locator("[data-testid=run-table] tbody tr")).ToHaveCountAsync(1);
            await Screenshots.SaveAsync(page, "billing-runs");
            await Browser.ChooseAsync(page, "[data-testid=run-filter-kind]", "Dry run");
            await Assertions.Expect(page.Locator("[data-testid=run-table]")).ToContainTextAsync("No run of this kind and status.");
            await Browser.ChooseAsync(page, "[data-testid=run-filter-kind]", "All kinds");
            await Assertions.Expect(page.Locator("[data-testid=run-table] tbody tr")).ToContainTextAsync("4 of 4 customers");
            await page.Locator("[data-testid=run-start]").DblClickAsync();
            await Assertions.Expect(dialog).ToContainTextAsync("will bill nothing new");
            await page.WaitForTimeoutAsync(500); // time for a second dialog to appear, were the second click not dropped
            await Assertions.Expect(dialog).ToHaveCountAsync(1);
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Start final run" }).ClickAsync();
            await Browser.WaitForAddressAsync(page, url => url != firstRun && url.Contains("/billing-runs/", StringComparison.Ordinal));
            await Assertions.Expect(page.Locator("[data-testid=run-status]")).ToHaveTextAsync("Succeeded", new() { Timeout = 30_000 });
            await Assertions.Expect(page.Locator("[data-testid=run-nothing-new]"))
                .ToContainTextAsync($"Billed nothing new: all 4 customers in scope already had a final invoice for {month}");
            await Assertions.Expect(page.Locator("[data-testid=run-results]")).ToHaveCountAsync(0);
            await Assertions.Expect(page.Locator("[data-testid=run-totals]")).ToHaveCountAsync(0);
            await Screenshots.SaveAsync(page, "billing-run-nothing-new");
            await page.Locator("[data-testid=run-skipped-from]").ClickAsync();
            await Browser.WaitForAddressAsync(page, url => url == firstRun);

            // The overview shows the month's money: what was invoiced (the run's totals) and what is still due, and the last run's result.
            await page.GotoAsync("/");
            await Assertions.Expect(page.Locator("[data-testid=overview-invoiced]")).ToHaveTextAsync(totals[2].Trim());
            await Assertions.Expect(page.Locator("[data-testid=overview-due]")).ToHaveTextAsync(totals[4].Trim());
            await Assertions.Expect(page.Locator("[data-testid=overview-last-run-caption]")).ToContainTextAsync("billed nothing new");
            await Screenshots.SaveAsync(page, "overview-after-billing");

            // Acme's invoice: base fee and usage, each line saying how it was computed.
            // The list sorts in the database: by amount due, largest first, Globex's 250.00 minimum leads.
            await page.GotoAsync("/invoices");
            await Browser.WaitUntilInteractiveAsync(page);
            await Assertions.Expect(page.Locator("[data-testid=invoice-table] tbody tr")).ToHaveCountAsync(4);
            var amountDue = page.Locator("[data-testid=invoice-table] th", new() { HasTextString = "Amount due" }).Locator(".mud-table-sort-label");
            await amountDue.ClickAsync();
            await amountDue.ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=invoice-table] tbody tr").First).ToContainTextAsync("Globex Logistics");
            await Screenshots.SaveAsync(page, "invoices");
            // The whole row opens the invoice, not only its number.
            await page.Locator("[data-testid=invoice-table] tbody tr", new() { HasTextString = "Acme Analytics" }).Locator("td").Nth(2).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/invoices/[^/?]+$"));
            await Assertions.Expect(page.Locator("[data-testid=invoice-lines]")).ToContainTextAsync("49.00 USD for");
            // 2,400 requests - 1,000 included = 1,400 x 0.002 = 2.80; 49.00 + 2.80 - 10.00 plan credit = 41.80 due.
            await Assertions.Expect(page.Locator("[data-testid=invoice-lines]")).ToContainTextAsync("2,400 used - 1,000 included = 1,400 billable; 1,400 x 0.002 USD = 2.80 USD");
            await Assertions.Expect(page.Locator("[data-testid=invoice-amount-due]")).ToHaveTextAsync("41.80 USD");
            await Screenshots.SaveAsync(page, "invoice");

            // The customer's page shows the subscription behind it.
            await page.GetByRole(AriaRole.Link, new() { Name = "Acme Analytics" }).ClickAsync();
            await page.Locator(".mud-tab", new() { HasTextString = "Subscription" }).ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=subscription]")).ToContainTextAsync("Starter v1");
            await Screenshots.SaveAsync(page, "customer-subscription");
            await page.GoBackAsync();

            // The usage line leads to the explorer for that customer and metric.
            await page.Locator("[data-testid=invoice-line-usage]").First.ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=usage-periods]")).ToContainTextAsync("2400");

            // Ten late requests for last month: the backlog flags the month, and the rerun preview shows Acme's difference:
            // 2,410 - 1,000 included = 1,410 x 0.002 = 2.82 instead of 2.80, so 0.02 USD more.
            // With no grace period an event for an ended month is late whatever the day (with the default 24 hours,
            // on the 1st of a month it would still count as on time and the backlog would stay empty).
            await page.GotoAsync("/settings");
            await Browser.WaitUntilInteractiveAsync(page);
            await page.Locator("[data-testid=project-grace]").FillAsync("0");
            await page.Locator("[data-testid=save-project]").ClickAsync();
            await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("Settings saved.");
            var secret = await ConsolePages.CreateApiKeyAsync(page, "late sender", "usage:write");
            using var api = new HttpClient { BaseAddress = console.BaseAddress };
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
            var now = console.Now;
            var lastMonth = new DateTimeOffset(now.Year, now.Month, 1, 12, 0, 0, TimeSpan.Zero).AddMonths(-1).ToString("O");
            var events = string.Join(',', Enumerable.Range(1, 10).Select(i =>
                "{\"eventId\":\"late-" + i + "\",\"customerId\":\"cus_acme\",\"metric\":\"requests\",\"occurredAt\":\"" + lastMonth + "\"}"));
            using var late = await api.PostAsync(new Uri("/api/v1/events", UriKind.Relative), new StringContent("{\"events\":[" + events + "]}", Encoding.UTF8, "application/json"));
            Assert.True(late.IsSuccessStatusCode, await late.Content.ReadAsStringAsync());

            // The link is in the prerendered page; a click before the circuit is up can be lost while Blazor takes over navigation.
            await page.GotoAsync("/usage");
            await Browser.WaitUntilInteractiveAsync(page);
            await Assertions.Expect(page.Locator("[data-testid=late-backlog]")).ToContainTextAsync("10");
            await page.Locator("[data-testid=backlog-rerun]").First.ClickAsync();
            await Browser.WaitForAddressAsync(page, Browser.RunListWithQuery);
            await Browser.WaitUntilInteractiveAsync(page);
            await page.Locator("[data-testid=run-start]").ClickAsync();
            await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Start rerun preview" }).ClickAsync();
            await Browser.WaitForAddressAsync(page, Browser.RunPage);
            await Assertions.Expect(page.Locator("[data-testid=run-status]")).ToHaveTextAsync("Succeeded", new() { Timeout = 30_000 });
            await Assertions.Expect(page.Locator("[data-testid=rerun-summary]")).ToContainTextAsync("1 of 4 recomputed invoices differ");
            await Assertions.Expect(page.Locator("[data-testid=rerun-comparisons] tbody tr").First).ToContainTextAsync("0.02 USD");
            await Screenshots.SaveAsync(page, "rerun-preview");

            // Each row of the paged comparison opens the side-by-side lines.
            await page.Locator("[data-testid=rerun-compare-link]").First.ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=rerun-draft]")).ToContainTextAsync("difference +0.02 USD");
        });
    }

    /// <summary>"1,234.50 USD" in cents.</summary>
    private static long Minor(string amount) => (long)(decimal.Parse(amount.Trim().Split(' ')[0], NumberStyles.Number, CultureInfo.InvariantCulture) * 100);
}
