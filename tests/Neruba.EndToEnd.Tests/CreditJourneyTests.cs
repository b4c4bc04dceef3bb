using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Neruba.EndToEnd.Tests.Support;

namespace Neruba.EndToEnd.Tests;

public class CreditJourneyTests
{
    [Fact]
    public async Task Support_grants_a_small_and_a_large_credit_finance_approves_the_large_one_and_the_balance_explains_both()
    {
        // Without the demo billing data, so the balances below are only the grants this journey makes.
        await using var console = await ConsoleProcess.StartAsync(new Dictionary<string, string> { ["Neruba__DemoBilling"] = "false" });
        await using var browser = await Browser.LaunchAsync();
        var admin = await browser.NewPageAsync(console.BaseAddress);
        string supportPassword = "", financePassword = "";
        await Screenshots.OnFailureAsync(admin, console, "credit-journey-admin", async () =>
        {
            await Browser.SignInAsync(admin, ConsoleProcess.AdminEmail, ConsoleProcess.AdminPassword);
            await ConsolePages.SetApprovalThresholdAsync(admin, "100.00");
            supportPassword = await ConsolePages.AddMemberAsync(admin, "sue.support@example.test", "Support");
            financePassword = await ConsolePages.AddMemberAsync(admin, "fred.finance@example.test", "Finance");
        });

        var support = await browser.NewPageAsync(console.BaseAddress);
        await Screenshots.OnFailureAsync(support, console, "credit-journey-support", async () =>
        {
            await ConsolePages.SignInWithOneTimePasswordAsync(support, "sue.support@example.test", supportPassword, "Sues-Own-Password-42!");
            await ConsolePages.OpenCustomerBalanceAsync(support, "Acme Analytics");

            await ConsolePages.GrantCreditAsync(support, "25.00", "Outage on Monday", expectApproval: false);
            await Assertions.Expect(support.Locator("[data-testid=balance-USD]")).ToHaveTextAsync("25.00 USD");

            await ConsolePages.GrantCreditAsync(support, "500", "Double charge in March", expectApproval: true);
            await Assertions.Expect(support.Locator("[data-testid=pending-grant]")).ToContainTextAsync("500.00 USD");
            await Assertions.Expect(support.Locator("[data-testid=balance-USD]")).ToHaveTextAsync("25.00 USD");

            // Support cannot decide: the queue shows the request without buttons.
            await support.GotoAsync("/credits");
            await Assertions.Expect(support.Locator("[data-testid=approval-queue]")).ToContainTextAsync("Finance decides.");
        });

        var finance = await browser.NewPageAsync(console.BaseAddress);
        await Screenshots.OnFailureAsync(finance, console, "credit-journey-finance", async () =>
        {
            await ConsolePages.SignInWithOneTimePasswordAsync(finance, "fred.finance@example.test", financePassword, "Freds-Own-Password-42!");
            await finance.GotoAsync("/credits");
            await Browser.WaitUntilInteractiveAsync(finance);
            await finance.Locator("[data-testid^=approve-]").First.ClickAsync();
            await finance.Locator("[data-testid=decision-comment]").FillAsync("Checked the March invoice");
            await finance.Locator("[data-testid=decision-confirm]").ClickAsync();
            await Assertions.Expect(finance.Locator("[data-testid=approval-queue]")).ToContainTextAsync("Nothing is waiting for approval.");
            await Assertions.Expect(finance.Locator("[data-testid=recent-grants]")).ToContainTextAsync("Checked the March invoice");
            await Screenshots.SaveAsync(finance, "credits");

            // A grant's row opens the customer's balance tab.
            await finance.Locator("[data-testid=recent-grants] tbody tr", new() { HasTextString = "Checked the March invoice" }).Locator("td").Last.ClickAsync();
            // The row navigates inside the live page (no load event to wait for): watch the address itself.
            await Assertions.Expect(finance).ToHaveURLAsync(new Regex("/customers/[^/?]+\\?tab=balance$"));
            await Assertions.Expect(finance.Locator("[data-testid=balance-USD]")).ToHaveTextAsync("525.00 USD");
            await Assertions.Expect(finance.Locator("[data-testid=block-table] tbody tr")).ToHaveCountAsync(2);
            await Assertions.Expect(finance.Locator("[data-testid=movement-table] tbody tr")).ToHaveCountAsync(2);
            await Assertions.Expect(finance.Locator("[data-testid=movement-table]")).ToContainTextAsync("sue.support@example.test");
            await Assertions.Expect(finance.Locator("[data-testid=movement-table]")).ToContainTextAsync("fred.finance@example.test");
            await Assertions.Expect(finance.Locator("[data-testid=balance-chart]")).ToBeVisibleAsync();
            await Screenshots.SaveAsync(finance, "customer-balance");

            await finance.GotoAsync("/audit");
            var audit = finance.Locator("[data-testid=audit-table]");
            await Assertions.Expect(audit).ToContainTextAsync("credit.granted");
            await Assertions.Expect(audit).ToContainTextAsync("credit.requested");
            await Assertions.Expect(audit).ToContainTextAsync("credit.approved");
            await Assertions.Expect(audit).ToContainTextAsync("sue.support@example.test");
            await Assertions.Expect(audit).ToContainTextAsync("fred.finance@example.test");
            // A target names its customer, and its row opens that customer.
            var approved = audit.Locator("tbody tr", new() { HasTextString = "credit.approved" });
            await Assertions.Expect(approved.Locator("[data-testid=audit-target-name]")).ToHaveTextAsync("Acme Analytics");
            await Screenshots.SaveAsync(finance, "audit-credit-targets");
            await Browser.WaitUntilInteractiveAsync(finance);
            await approved.Locator("td").First.ClickAsync();
            await Assertions.Expect(finance).ToHaveURLAsync(new Regex("/customers/[^/?]+$"));
            await Assertions.Expect(finance.Locator("[data-testid=customer-title]")).ToHaveTextAsync("Acme Analytics");
        });
    }

    [Fact]
    public async Task An_admin_who_created_a_key_cannot_approve_a_grant_made_with_it()
    {
        await using var console = await ConsoleProcess.StartAsync(new Dictionary<string, string> { ["Neruba__DemoBilling"] = "false" });
        await using var browser = await Browser.LaunchAsync();
        var admin = await browser.NewPageAsync(console.BaseAddress);
        await Screenshots.OnFailureAsync(admin, console, "credit-key-four-eyes", async () =>
        {
            await Browser.SignInAsync(admin, ConsoleProcess.AdminEmail, ConsoleProcess.AdminPassword);
            var secret = await ConsolePages.CreateApiKeyAsync(admin, "billing bot", "credits:write");

            using var api = new HttpClient { BaseAddress = console.BaseAddress };
            api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", secret);
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/customers/cus_acme/credit-grants", UriKind.Relative))
            {
                Content = new StringContent("""{"amount":750,"currency":"USD","reasonCode":"billing_error","note":"bot refund"}""", System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("Idempotency-Key", "bot-1");
            using var response = await api.SendAsync(request);
            Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);

            // The key's grant is the admin's own request: the queue offers no decision to them.
            await admin.GotoAsync("/credits");
            await Browser.WaitUntilInteractiveAsync(admin);
            var queue = admin.Locator("[data-testid=approval-queue]");
            await Assertions.Expect(queue).ToContainTextAsync("750.00 USD");
            await Assertions.Expect(queue).ToContainTextAsync("API key billing bot");
            await Assertions.Expect(queue).ToContainTextAsync("Your own request: another Finance member decides.");
            await Assertions.Expect(admin.Locator("[data-testid^=approve-]")).ToHaveCountAsync(0);
            await Screenshots.SaveAsync(admin, "credits-own-key-grant");
        });
    }
}
