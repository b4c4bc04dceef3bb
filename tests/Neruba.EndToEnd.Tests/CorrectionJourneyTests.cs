using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Neruba.EndToEnd.Tests.Support;

namespace Neruba.EndToEnd.Tests;

/// <summary>
/// Finance corrects finalized invoices in the browser (a line credited to the wallet, a void that gives credit back), an Operator commits a
/// rerun's difference that a second Finance member approves, and the documents download as PDFs.
/// </summary>
public class CorrectionJourneyTests
{
    [Fact]
    public async Task Finance_credits_and_voids_an_operator_commits_a_rerun_a_second_person_approves_and_the_pdfs_download()
    {
        await using var console = await ConsoleProcess.StartAsync();
        await using var browser = await Browser.LaunchAsync();
        var admin = await browser.NewPageAsync(console.BaseAddress);
        string financePassword = "", operatorPassword = "", usageKey = "";
        await Screenshots.OnFailureAsync(admin, console, "correction-journey-admin", async () =>
        {
            await Browser.SignInAsync(admin, ConsoleProcess.AdminEmail, ConsoleProcess.AdminPassword);

            // No grace period (an event for an ended month is late whatever the day) and every rerun commit needs a second person.
            await admin.GotoAsync("/settings");
            await Browser.WaitUntilInteractiveAsync(admin);
            await admin.Locator("[data-testid=project-grace]").FillAsync("0");
            await admin.Locator("[data-testid=project-correction-threshold]").FillAsync("0.00");
            await admin.Locator("[data-testid=save-project]").ClickAsync();
            await Assertions.Expect(admin.Locator(".mud-snackbar")).ToContainTextAsync("Settings saved.");
            financePassword = await ConsolePages.AddMemberAsync(admin, "fiona.finance@example.test", "Finance");
            operatorPassword = await ConsolePages.AddMemberAsync(admin, "olga.operator@example.test", "Operator");
            usageKey = await ConsolePages.CreateApiKeyAsync(admin, "late sender", "usage:write");

            // Last month's final run: four demo invoices.
            await ConsolePages.RunLastMonthAsync(admin);
        });

        var finance = await browser.NewPageAsync(console.BaseAddress);
        await Screenshots.OnFailureAsync(finance, console, "correction-journey-finance", async () =>
        {
            await ConsolePages.SignInWithOneTimePasswordAsync(finance, "fiona.finance@example.test", financePassword, "Fionas-Own-Password-42!");

            // Acme's invoice (41.80 due) is paid by bank transfer, then its base fee line is credited 10.00 to the wallet.
            await ConsolePages.OpenInvoiceAsync(finance, "Acme Analytics");
            await finance.Locator("[data-testid=action-payment]").ClickAsync();
            await Assertions.Expect(finance.Locator("[data-testid=payment-amount]")).ToHaveValueAsync("41.80");
            await finance.Locator("[data-testid=payment-reference]").FillAsync("BANK-2026-001");
            await finance.Locator("[data-testid=payment-review]").ClickAsync();
            await Assertions.Expect(finance.Locator("[data-testid=payment-confirmation]")).ToContainTextAsync("41.80 USD");
            await finance.Locator("[data-testid=payment-confirm]").ClickAsync();
            await Assertions.Expect(finance.Locator("[data-testid=invoice-status]")).ToHaveTextAsync("Paid");
            await Assertions.Expect(finance.Locator("[data-testid=chain-payment]")).ToContainTextAsync("BANK-2026-001");

            await finance.Locator("[data-testid=action-credit-note]").ClickAsync();
            await finance.Locator("[data-testid=line-0-amount]").FillAsync("10.00");
            await finance.Locator("[data-testid=line-0-amount]").BlurAsync();
            var preview = finance.Locator("[data-testid=credit-note-preview]");
            // The preview is the server's answer to the change: room for a loaded machine.
            await Assertions.Expect(preview).ToContainTextAsync("10.00 USD", new() { Timeout = 20_000 });
            await Screenshots.SaveAsync(finance, "credit-note-dialog");
            await finance.Locator("[data-testid=credit-note-review]").ClickAsync();
            await Assertions.Expect(finance.Locator("[data-testid=credit-note-confirmation]")).ToContainTextAsync("10.00 USD");
            await finance.Locator("[data-testid=credit-note-confirm]").ClickAsync();
            var chainNote = finance.Locator("[data-testid=chain-credit-note]");
            await Assertions.Expect(chainNote).ToContainTextAsync("CN-000001");
            await Screenshots.SaveAsync(finance, "invoice-corrected");

            // The invoice's PDF downloads and is a PDF.
            await AssertPdfAsync(finance, "INV-");

            // The credit note opens, with its own PDF; the wallet holds the new block.
            await chainNote.GetByRole(AriaRole.Link, new() { Name = "CN-000001" }).ClickAsync();
            await Assertions.Expect(finance.Locator("[data-testid=credit-note-allocation]")).ToContainTextAsync("10.00 USD");
            await AssertPdfAsync(finance, "CN-000001");
            await ConsolePages.OpenCustomerBalanceAsync(finance, "Acme Analytics");
            await Assertions.Expect(finance.Locator("[data-testid=block-row]", new() { HasTextString = "Credit note" })).ToContainTextAsync("10.00 USD");
            await Screenshots.SaveAsync(finance, "balance-after-credit-note");

            // Wayne's unpaid invoice (49.00 - 10.00 plan credit) is voided: the 10.00 goes back to the block it came from.
            await ConsolePages.OpenInvoiceAsync(finance, "Wayne Robotics");
            await finance.Locator("[data-testid=action-void]").ClickAsync();
            await finance.Locator("[data-testid=correction-reason]").FillAsync("Billed after the contract ended");
            await finance.Locator("[data-testid=correction-review]").ClickAsync();
            await Assertions.Expect(finance.Locator("[data-testid=correction-consequence]")).ToContainTextAsync("10.00 USD");
            await finance.Locator("[data-testid=correction-confirm]").ClickAsync();
            await Assertions.Expect(finance.Locator("[data-testid=invoice-status]")).ToHaveTextAsync("Void");
            await Assertions.Expect(finance.Locator("[data-testid=chain-void]")).ToContainTextAsync("Billed after the contract ended");
            await ConsolePages.OpenCustomerBalanceAsync(finance, "Wayne Robotics");
            await Assertions.Expect(finance.Locator("[data-testid=movement-table]")).ToContainTextAsync("voided: Billed after the contract ended");
            await Screenshots.SaveAsync(finance, "balance-after-void");
        });

        // Ten late requests for Acme's last month: 2,410 - 1,000 included = 1,410 x 0.002 = 2.82, so 0.02 USD more.
        using (var api = new HttpClient { BaseAddress = console.BaseAddress })
        {
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", usageKey);
            var lastMonth = new DateTimeOffset(console.Now.Year, console.Now.Month, 1, 12, 0, 0, TimeSpan.Zero).AddMonths(-1).ToString("O");
            var events = string.Join(',', Enumerable.Range(1, 10).Select(i =>
                "{\"eventId\":\"late-" + i + "\",\"customerId\":\"cus_acme\",\"metric\":\"requests\",\"occurredAt\":\"" + lastMonth + "\"}"));
            using var late = await api.PostAsync(new Uri("/api/v1/events", UriKind.Relative), new StringContent("{\"events\":[" + events + "]}", Encoding.UTF8, "application/json"));
            Assert.True(late.IsSuccessStatusCode, await late.Content.ReadAsStringAsync());
        }

        var operatorPage = await browser.NewPageAsync(console.BaseAddress);
        var rerunUrl = "";
        await Screenshots.OnFailureAsync(operatorPage, console, "correction-journey-operator", async () =>
        {
            await ConsolePages.SignInWithOneTimePasswordAsync(operatorPage, "olga.operator@example.test", operatorPassword, "Olgas-Own-Password-42!");
            await operatorPage.GotoAsync("/usage");
            await Browser.WaitUntilInteractiveAsync(operatorPage);
            await Assertions.Expect(operatorPage.Locator("[data-testid=late-backlog]")).ToContainTextAsync("10");
            await operatorPage.Locator("[data-testid=backlog-rerun]").First.ClickAsync();
            await Browser.WaitForAddressAsync(operatorPage, Browser.RunListWithQuery);
            await Browser.WaitUntilInteractiveAsync(operatorPage);
            await operatorPage.Locator("[data-testid=run-start]").ClickAsync();
            await operatorPage.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Start rerun preview" }).ClickAsync();
            await Browser.WaitForAddressAsync(operatorPage, Browser.RunPage);
            rerunUrl = operatorPage.Url;
            await Assertions.Expect(operatorPage.Locator("[data-testid=run-status]")).ToHaveTextAsync("Succeeded", new() { Timeout = 30_000 });

            // Acme's goodwill credit note is not billed again: only the 0.02 USD of late usage differs.
            await Assertions.Expect(operatorPage.Locator("[data-testid=rerun-summary]")).ToContainTextAsync("1 of 3 recomputed invoices differ");
            await Assertions.Expect(operatorPage.Locator("[data-testid=rerun-commit-effect]")).ToContainTextAsync("1 supplemental invoice totalling 0.02 USD");
            await operatorPage.Locator("[data-testid=rerun-commit-propose]").ClickAsync();
            await operatorPage.Locator("[data-testid=reason-dialog-text]").FillAsync("Ten late requests from Acme");
            await operatorPage.Locator("[data-testid=reason-dialog-confirm]").ClickAsync();
            await Assertions.Expect(operatorPage.Locator("[data-testid=rerun-commit-status]")).ToHaveTextAsync("Waiting for approval");
            await Assertions.Expect(operatorPage.Locator("[data-testid=rerun-commit-approve]")).ToHaveCountAsync(0);
            await Screenshots.SaveAsync(operatorPage, "rerun-commit-proposed");
        });

        await Screenshots.OnFailureAsync(finance, console, "correction-journey-approval", async () =>
        {
            await finance.GotoAsync(rerunUrl);
            await Browser.WaitUntilInteractiveAsync(finance);
            await finance.Locator("[data-testid=rerun-commit-approve]").ClickAsync();
            await finance.Locator("[data-testid=reason-dialog-text]").FillAsync("Checked the late requests");
            await finance.Locator("[data-testid=reason-dialog-confirm]").ClickAsync();
            await Assertions.Expect(finance.Locator("[data-testid=rerun-commit-status]")).ToHaveTextAsync("Committed", new() { Timeout = 30_000 });
            await Assertions.Expect(finance.Locator("[data-testid=rerun-commit-progress-text]")).ToContainTextAsync("1 of 1 changed invoices corrected");
            await Assertions.Expect(finance.Locator("[data-testid=rerun-commit-decision]")).ToContainTextAsync("fiona.finance@example.test");
            await Screenshots.SaveAsync(finance, "rerun-commit-done");

            // Acme's invoice shows the whole chain: payment, credit note, and the supplemental invoice with its explained line.
            await ConsolePages.OpenInvoiceAsync(finance, "Acme Analytics");
            await Assertions.Expect(finance.Locator("[data-testid=chain-supplemental]")).ToContainTextAsync("0.02 USD");
            await Screenshots.SaveAsync(finance, "invoice-chain");
            await finance.Locator("[data-testid=chain-supplemental] a").First.ClickAsync();
            await Assertions.Expect(finance.Locator("[data-testid=invoice-kind]")).ToHaveTextAsync("Supplemental invoice");
            await Assertions.Expect(finance.Locator("[data-testid=invoice-lines]")).ToContainTextAsync("1,400 → 1,410 units");
            await Assertions.Expect(finance.Locator("[data-testid=chain-corrects]")).ToBeVisibleAsync();

            // The backlog is settled by the commit.
            await finance.GotoAsync("/usage");
            await Assertions.Expect(finance.Locator("[data-testid=late-backlog]")).ToContainTextAsync("No late events");
        });
    }

    /// <summary>Opens the customer's first invoice (the lowest number: the run's, not a later correction) from the list.</summary>

    private static async Task AssertPdfAsync(IPage page, string namePrefix)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-testid=document-pdf]").First.ClickAsync());
        Assert.StartsWith(namePrefix, download.SuggestedFilename, StringComparison.Ordinal);
        Assert.EndsWith(".pdf", download.SuggestedFilename, StringComparison.Ordinal);
        var path = Path.Combine(Screenshots.Folder, download.SuggestedFilename);
        await download.SaveAsAsync(path);
        var bytes = await File.ReadAllBytesAsync(path);
        Assert.True(bytes.Length > 1000, $"{download.SuggestedFilename} is {bytes.Length} bytes");
        Assert.Equal("%PDF-", Encoding.ASCII.GetString(bytes, 0, 5));
    }
}
