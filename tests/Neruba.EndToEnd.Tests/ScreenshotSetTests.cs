using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Neruba.EndToEnd.Tests.Support;

namespace Neruba.EndToEnd.Tests;

/// <summary>
/// The main pages as people see them, at 1440 and 1024 px, light and dark, saved to test-artifacts/screenshots/ for review;
/// on every one, no raw enum name or reason code shows and no amount wraps inside a table.
/// </summary>
public class ScreenshotSetTests
{
    [Fact]
    public async Task Every_main_page_reads_in_words_keeps_amounts_on_one_line_and_is_captured_in_both_themes_and_widths()
    {
        var folder = Path.Combine(Screenshots.Folder, "screenshots");
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        await using var console = await ConsoleProcess.StartAsync();
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.NewPageAsync(console.BaseAddress);

        await Screenshots.OnFailureAsync(page, console, "screenshot-set", async () =>
        {
            await Browser.SignInAsync(page, ConsoleProcess.AdminEmail, ConsoleProcess.AdminPassword);
            var pages = await PrepareDemoAsync(page, console);

            foreach (var theme in new[] { "light", "dark" })
            {
                await SetThemeAsync(page, theme);
                foreach (var (name, open) in pages)
                {
                    // Each page is opened once per theme and captured at both widths: the layout reflows without a reload.
                    await page.SetViewportSizeAsync(1440, 900);
                    await open();

                    // Not "network idle": on a loaded machine Blazor may fall back from WebSockets to long polling, and the network is never idle.
                    // Each page is interactive (open waits for it) and its data comes over the circuit; the load event covers fonts and images.
                    await page.WaitForLoadStateAsync(LoadState.Load);
                    await AssertReadsInWordsAsync(page, name);
                    await AssertNoAmountWrapsAsync(page, name);
                    await Screenshots.SaveAsync(page, $"screenshots/{theme}-1440-{name}");
                    await page.SetViewportSizeAsync(1024, 900);
                    await page.WaitForFunctionAsync("() => window.innerWidth === 1024");
                    await Screenshots.SaveAsync(page, $"screenshots/{theme}-1024-{name}");
                }
            }
        });

        Assert.Equal(2 * 2 * 22, Directory.GetFiles(folder, "*.png").Length);
    }

    /// <summary>Bills last month, grants credit with a reason code, and returns the pages to capture, each opened as a person would.</summary>
    private static async Task<List<(string Name, Func<Task> Open)>> PrepareDemoAsync(IPage page, ConsoleProcess console)
    {
        await page.GotoAsync("/billing-runs");
        await Browser.WaitUntilInteractiveAsync(page);
        await page.Locator("[data-testid=run-start]").ClickAsync();
        await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Start final run" }).ClickAsync();
        await Browser.WaitForAddressAsync(page, Browser.RunPage);
        await Assertions.Expect(page.Locator("[data-testid=run-status]")).ToHaveTextAsync("Succeeded", new() { Timeout = 30_000 });
        var runUrl = page.Url;

        var secret = await ConsolePages.CreateApiKeyAsync(page, "screenshots", "credits:write");
        using (var api = new HttpClient { BaseAddress = console.BaseAddress })
        {
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/customers/cus_acme/credit-grants", UriKind.Relative))
            {
                Content = new StringContent("""{"amount":12.5,"currency":"USD","reasonCode":"service_outage","note":"API outage, ticket 4711"}""", Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("Idempotency-Key", "screenshot-grant");
            using var granted = await api.SendAsync(request);
            Assert.True(granted.IsSuccessStatusCode, await granted.Content.ReadAsStringAsync());
        }

        await page.GotoAsync("/invoices");
        await Browser.WaitUntilInteractiveAsync(page);
        var invoiceUrl = await page.Locator("a[href^='/invoices/']").First.GetAttributeAsync("href");
        // A credit note through the API, so the correction pages have something to read.
        var billingKey = await ConsolePages.CreateApiKeyAsync(page, "screenshots corrections", "billing:write");
        using (var api = new HttpClient { BaseAddress = console.BaseAddress })
        {
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", billingKey);
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/v1{invoiceUrl}/credit-notes", UriKind.Relative))
            {
                Content = new StringContent("""{"lines":[{"lineIndex":0,"amount":5.00}],"reasonCode":"product_unsatisfactory","note":"Slow API for two days"}""",
                    Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("Idempotency-Key", "screenshot-credit-note");
            using var credited = await api.SendAsync(request);
            Assert.True(credited.IsSuccessStatusCode, await credited.Content.ReadAsStringAsync());
        }

        await page.GotoAsync("/customers");
        await Browser.WaitUntilInteractiveAsync(page);
        var customerUrl = await page.Locator("a[href^='/customers/']", new() { HasTextString = "Acme Analytics" }).First.GetAttributeAsync("href");
        Assert.NotNull(invoiceUrl);
        Assert.NotNull(customerUrl);

        Func<Task> Go(string url) => async () =>
        {
            await page.GotoAsync(url);
            await Browser.WaitUntilInteractiveAsync(page);
        };
        Func<Task> CustomerTab(string tab, string shows) => async () =>
        {
            await Go(customerUrl!)();
            await page.Locator(".mud-tab", new() { HasTextString = tab }).ClickAsync();
            await page.Locator(shows).First.WaitForAsync();
        };
        return
        [
            ("overview", Go("/")),
            ("customers", Go("/customers")),
            ("customer", Go(customerUrl!)),
            ("customer-balance", CustomerTab("Balance", "[data-testid=balance-USD]")),
            ("customer-subscription", CustomerTab("Subscription", "[data-testid=subscription]")),
            ("invoices", Go("/invoices")),
            ("invoice", Go(invoiceUrl!)),
            ("billing-runs", Go("/billing-runs")),
            ("billing-run", Go(runUrl)),
            ("plans", Go("/billing-runs/plans")),
            ("usage", Go("/usage")),
            ("metrics", Go("/usage/metrics")),
            ("imports", Go("/usage/imports")),
            ("credits", Go("/credits")),
            ("audit", Go("/audit")),
            ("settings", Go("/settings")),
            ("credit-notes", Go("/credit-notes")),
            ("credit-note", Go("/credit-notes/CN-000001")),
            ("corrections", Go("/corrections")),
            ("payments", Go("/payments")),
            ("credit-packs", Go("/credit-packs")),
            ("settings-payments", Go("/settings/payments")),
        ];
    }

    private static async Task SetThemeAsync(IPage page, string theme)
    {
        await page.GotoAsync("/");
        await Browser.WaitUntilInteractiveAsync(page);
        var toggle = page.Locator("[data-testid=theme-toggle]");
        if (await toggle.GetAttributeAsync("data-theme") != theme)
        {
            await toggle.ClickAsync();
            await Assertions.Expect(toggle).ToHaveAttributeAsync("data-theme", theme);
        }
    }

    /// <summary>
    /// Enum members named in code style (two words run together, like SupportGrant or PendingApproval) and reason codes (service_outage):
    /// none may appear as a word on a page. Single-word members ("Posted", "Finance") are words already.
    /// </summary>
    private static readonly Regex RawNames = new(
        @"\b(" + string.Join('|', typeof(Neruba.Domain.Ledger.CreditSource).Assembly.GetTypes()
            .Concat(typeof(Neruba.Infrastructure.Billing.Runs.BillingRunStatus).Assembly.GetTypes())
            .Where(t => t.IsEnum && t.IsPublic)
            .SelectMany(Enum.GetNames)
            .Where(n => Regex.IsMatch(n, "[a-z][A-Z]"))
            .Concat(Neruba.Domain.Ledger.CreditReasonCodes.All.Keys.Where(k => k.Contains('_', StringComparison.Ordinal)))
            .Distinct().Select(Regex.Escape)) + @")\b", RegexOptions.CultureInvariant);

    private static async Task AssertReadsInWordsAsync(IPage page, string name)
    {
        var text = await page.Locator(".mud-main-content").InnerTextAsync();
        var raw = RawNames.Matches(text).Select(m => m.Value).Distinct().ToList();
        Assert.True(raw.Count == 0, $"The {name} page shows internal names: {string.Join(", ", raw)}");
    }

    /// <summary>Every "1,234.50 USD" inside a table cell must lie on one line: a range over it has one box, a wrapped one two.</summary>
    private static async Task AssertNoAmountWrapsAsync(IPage page, string name)
    {
        var wrapped = await page.EvaluateAsync<string[]>("""
            () => {
              const found = [];
              const pattern = /-?\+?[\d,]+(\.\d+)? [A-Z]{3}\b/g;
              for (const cell of document.querySelectorAll('.mud-main-content td, .mud-main-content th')) {
                const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
                let text = '', nodes = [];
                while (walker.nextNode()) { nodes.push([walker.currentNode, text.length]); text += walker.currentNode.textContent; }
                for (const m of text.matchAll(pattern)) {
                  const range = document.createRange();
                  const locate = (offset) => { for (let i = nodes.length - 1; i >= 0; i--) if (nodes[i][1] <= offset) return [nodes[i][0], offset - nodes[i][1]]; };
                  const [sn, so] = locate(m.index), [en, eo] = locate(m.index + m[0].length - 1);
                  range.setStart(sn, so); range.setEnd(en, eo + 1);
                  const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
                  if (tops.size > 1) found.push(m[0]);
                }
              }
              return found;
            }
            """);
        Assert.True(wrapped.Length == 0, $"On the {name} page these amounts wrap: {string.Join(" | ", wrapped)}");
    }
}
