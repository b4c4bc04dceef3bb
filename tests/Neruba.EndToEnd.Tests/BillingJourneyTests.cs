using System.Net.Http.Headers;
using System.Text;
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

            // Last month is preselected; starting asks for confirmation before money moves.
            await page.GotoAsync("/billing-runs");
            await Browser.WaitUntilInteractiveAsync(page);
            await page.Locator("[data-testid=run-start]").ClickAsync();
            await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Finalize invoices" }).ClickAsync();

            // The run page follows the run live to the end: the four demo subscriptions.
            await page.WaitForURLAsync("**/billing-runs/*");
            await Assertions.Expect(page.Locator("[data-testid=run-status]")).ToHaveTextAsync("Succeeded", new() { Timeout = 30_000 });
            await Assertions.Expect(page.Locator("[data-testid=run-progress-text]")).ToContainTextAsync("4 of 4 customers");
            await Assertions.Expect(page.Locator("[data-testid=run-job-link]")).ToContainTextAsync("Hangfire job");
            await Screenshots.SaveAsync(page, "billing-run");

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
            await page.WaitForURLAsync("**/invoices/*");
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
            await page.WaitForURLAsync("**/billing-runs?*");
            await Browser.WaitUntilInteractiveAsync(page);
            await page.Locator("[data-testid=run-start]").ClickAsync();
            await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Preview rerun" }).ClickAsync();
            await page.WaitForURLAsync("**/billing-runs/*");
            await Assertions.Expect(page.Locator("[data-testid=run-status]")).ToHaveTextAsync("Succeeded", new() { Timeout = 30_000 });
            await Assertions.Expect(page.Locator("[data-testid=rerun-summary]")).ToContainTextAsync("1 of 4 recomputed invoices differ");
            await Assertions.Expect(page.Locator("[data-testid=rerun-comparisons] tbody tr").First).ToContainTextAsync("0.02 USD");
            await Screenshots.SaveAsync(page, "rerun-preview");

            // Each row of the paged comparison opens the side-by-side lines.
            await page.Locator("[data-testid=rerun-compare-link]").First.ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=rerun-draft]")).ToContainTextAsync("difference 0.02 USD");
        });
    }
}
