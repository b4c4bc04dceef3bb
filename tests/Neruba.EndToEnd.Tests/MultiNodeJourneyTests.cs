using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Neruba.EndToEnd.Tests.Support;

namespace Neruba.EndToEnd.Tests;

/// <summary>Two console processes on one database, as two nodes behind a load balancer: one dies mid-run, the other finishes the run.</summary>
public partial class MultiNodeJourneyTests
{
    private const int ExtraCustomers = 600;
    private const int AllSubscriptions = ExtraCustomers + 4;

    /// <summary>Short leases, so the surviving node notices the dead one within seconds rather than a minute.</summary>
    private static readonly Dictionary<string, string> Node = new() { ["Neruba__Jobs__LeaseSeconds"] = "4" };

    [Fact]
    public async Task When_the_node_running_a_billing_run_is_killed_the_other_node_finishes_it_with_one_invoice_per_subscription()
    {
        await using var first = await ConsoleProcess.StartAsync(Node);
        await using var second = await ConsoleProcess.StartOnSameDataAsync(first, Node);
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.NewPageAsync(first.BaseAddress);
        await Screenshots.OnFailureAsync(page, first, "multi-node-run", async () =>
        {
            await Browser.SignInAsync(page, ConsoleProcess.AdminEmail, ConsoleProcess.AdminPassword);

            // Enough subscribers that the run takes seconds: 600 more customers on Starter since the month before last.
            var secret = await ConsolePages.CreateApiKeyAsync(page, "setup", "setup:write");
            using var api = new HttpClient { BaseAddress = first.BaseAddress };
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
            var startsOn = first.Now.AddMonths(-2).ToString("yyyy-MM-01", System.Globalization.CultureInfo.InvariantCulture);
            await Parallel.ForEachAsync(Enumerable.Range(0, ExtraCustomers), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, token) =>
            {
                using var customer = await api.PostAsync(new Uri("/api/v1/customers", UriKind.Relative),
                    Json($$"""{"externalId":"bulk_{{i}}","name":"Bulk {{i}}","currency":"USD","timeZone":"UTC"}"""), token);
                Assert.True(customer.IsSuccessStatusCode, await customer.Content.ReadAsStringAsync(token));
                using var subscription = await api.PostAsync(new Uri($"/api/v1/customers/bulk_{i}/subscriptions", UriKind.Relative),
                    Json($$"""{"plan":"starter","startsOn":"{{startsOn}}"}"""), token);
                Assert.True(subscription.IsSuccessStatusCode, await subscription.Content.ReadAsStringAsync(token));
            });

            await page.GotoAsync("/billing-runs");
            await Browser.WaitUntilInteractiveAsync(page);
            await page.Locator("[data-testid=run-start]").ClickAsync();
            await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Start final run" }).ClickAsync();
            await Browser.WaitForAddressAsync(page, Browser.RunPage);
            var runPath = new Uri(page.Url).PathAndQuery;

            // While the first node is alive and renewing its lease, the second leaves the run alone.
            await Assertions.Expect(page.Locator("[data-testid=run-progress-text]")).ToHaveTextAsync(Progress(), new() { Timeout = 30_000 });
            Assert.DoesNotContain("Resumed billing run", second.Output, StringComparison.Ordinal);
            await first.KillAsync();

            // The second node sees the lease lapse and finishes the run: every subscription billed exactly once.
            var survivor = await browser.NewPageAsync(second.BaseAddress);
            await Browser.SignInAsync(survivor, ConsoleProcess.AdminEmail, ConsoleProcess.AdminPassword);
            await survivor.GotoAsync(runPath);
            await Assertions.Expect(survivor.Locator("[data-testid=run-status]")).ToHaveTextAsync("Succeeded", new() { Timeout = 90_000 });
            await Assertions.Expect(survivor.Locator("[data-testid=run-progress-text]")).ToContainTextAsync($"{AllSubscriptions} of {AllSubscriptions} customers");
            Assert.Contains("Resumed billing run", second.Output, StringComparison.Ordinal);

            using var reader = new HttpClient { BaseAddress = second.BaseAddress };
            reader.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await ConsolePages.CreateApiKeyAsync(survivor, "reader", "billing:read"));
            var month = second.Now.AddMonths(-1).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
            var invoices = System.Text.Json.JsonDocument.Parse(await reader.GetStringAsync(new Uri($"/api/v1/invoices?month={month}&pageSize=1", UriKind.Relative))).RootElement;
            Assert.Equal(AllSubscriptions, invoices.GetProperty("total").GetInt32());
            await Screenshots.SaveAsync(survivor, "multi-node-finished");
        });
    }

    /// <summary>Some customers billed and most not: "1 of 604" to "499 of 604".</summary>
    [GeneratedRegex(@"^\s*([1-9]\d?|[1-4]\d\d) of 604 customers")]
    private static partial Regex Progress();

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
