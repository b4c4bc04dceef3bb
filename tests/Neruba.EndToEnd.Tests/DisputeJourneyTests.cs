using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Neruba.EndToEnd.Tests.Support;
using Neruba.StripeFake;

namespace Neruba.EndToEnd.Tests;

/// <summary>
/// Disputes and reconciliation in the browser against the local Stripe fake, as a new Finance member would work them: two invoices are
/// collected through Stripe; the first charge is disputed, evidence is drafted, a receipt uploaded and submitted, and the bank rules for the
/// merchant (hold, then release); the second is lost and the customer owes the invoice again. Then a reconciliation over today finds exactly
/// the payment Neruba never saw and the fee Stripe changed; Finance clears both and the next run finds nothing.
/// </summary>
public class DisputeJourneyTests
{
    private const string SecretKey = "sk_test_neruba_disputes";
    private const string WebhookSecret = "whsec_neruba_disputes";

    [Fact]
    public async Task A_dispute_is_won_with_submitted_evidence_another_is_lost_and_reconciliation_clears_exactly_two_mismatches()
    {
        var clock = new FollowingClock();
        await using var fake = await FakeStripeServer.StartAsync(new FakeStripeOptions { SecretKey = SecretKey, TimeProvider = clock });
        await using var console = await ConsoleProcess.StartAsync(new Dictionary<string, string> { ["Neruba__Stripe__ApiBase"] = fake.BaseUrl });
        clock.Follow(console);
        fake.AddWebhookTarget(new Uri(console.BaseAddress, "/webhooks/stripe/demo").ToString(), WebhookSecret);
        await using var browser = await Browser.LaunchAsync();
        var admin = await browser.NewPageAsync(console.BaseAddress);
        var financePassword = "";
        await Screenshots.OnFailureAsync(admin, console, "dispute-journey-admin", async () =>
        {
            await Browser.SignInAsync(admin, ConsoleProcess.AdminEmail, ConsoleProcess.AdminPassword);
            await ConsolePages.ConfigureStripeAsync(admin, SecretKey, WebhookSecret);
            financePassword = await ConsolePages.AddMemberAsync(admin, "fay.finance@example.test", "Finance");
            await ConsolePages.RunLastMonthAsync(admin);
        });

        var finance = await browser.NewPageAsync(console.BaseAddress);
        await Screenshots.OnFailureAsync(finance, console, "dispute-journey-collect", async () =>
        {
            await ConsolePages.SignInWithOneTimePasswordAsync(finance, "fay.finance@example.test", financePassword, "Fays-Own-Password-42!");
            foreach (var customer in new[] { "Acme Analytics", "Globex Logistics" })
            {
                await ConsolePages.OpenInvoiceAsync(finance, customer);
                await finance.Locator("[data-testid=action-collect]").ClickAsync();
                await finance.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Collect now" }).ClickAsync();
                await Assertions.Expect(finance.Locator("[data-testid=invoice-status]")).ToHaveTextAsync("Paid", new() { Timeout = 30_000 });

                // Stripe's fee is recorded by a job once the charge's balance transaction is known; reconciliation later compares it.
                var fee = finance.Locator("[data-testid=collection-attempt] td").Nth(6);
                Assert.True(await Browser.ReloadUntilAsync(finance, async () => (await fee.TextContentAsync())?.Trim() is { Length: > 1 }),
                    $"Stripe's fee on {customer}'s payment was not recorded.");
            }
        });
        var charges = fake.EventLog().Where(e => e.Type == "payment_intent.succeeded").Select(e => ObjectOf(fake, e.Id)["latest_charge"]!.GetValue<string>())
            .ToList();
        Assert.Equal(2, charges.Count);

        var won = fake.CreateDispute(charges[0], "product_not_received");
        await fake.Webhooks.WaitForIdleAsync(TimeSpan.FromSeconds(30));
        await Screenshots.OnFailureAsync(finance, console, "dispute-journey-evidence", async () =>
        {
            await finance.GotoAsync("/disputes");
            await Browser.WaitUntilInteractiveAsync(finance);
            var row = finance.Locator("[data-testid=dispute-table] tbody tr", new() { HasTextString = won });
            await Assertions.Expect(row).ToContainTextAsync("Acme Analytics", new() { Timeout = 30_000 });
            await Assertions.Expect(row.Locator("[data-testid=dispute-time-left]")).ToContainTextAsync("left");
            await Screenshots.SaveAsync(finance, "dispute-queue");
            await row.Locator("[data-testid=dispute-link]").ClickAsync();
            await Assertions.Expect(finance.Locator("[data-testid=dispute-facts]")).ToContainTextAsync(won);
            await Browser.WaitUntilInteractiveAsync(finance);

            // The draft is saved as Finance types and staged at Stripe (submit=false); a receipt goes through Stripe's Files API.
            var description = finance.Locator("[data-testid=evidence-product_description]");
            await description.FillAsync("Analytics subscription (Starter plan) and its metered API calls for last month.");
            await description.BlurAsync();
            await Assertions.Expect(finance.Locator("[data-testid=evidence-saved]")).ToContainTextAsync("staged at Stripe", new() { Timeout = 20_000 });
            await finance.Locator("[data-testid=evidence-file-receipt] input[type=file]").SetInputFilesAsync(new FilePayload
            {
                Name = "receipt.pdf", MimeType = "application/pdf", Buffer = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"),
            });
            await Assertions.Expect(finance.Locator("[data-testid=evidence-file-receipt] [data-testid=evidence-file]")).ToContainTextAsync("receipt.pdf",
                new() { Timeout = 20_000 });
            Assert.Equal("Analytics subscription (Starter plan) and its metered API calls for last month.",
                ObjectOf(fake, won)["evidence"]!["product_description"]!.GetValue<string>());
            await Screenshots.SaveAsync(finance, "dispute-evidence");

            await finance.Locator("[data-testid=evidence-submit]").ClickAsync();
            await finance.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Submit once" }).ClickAsync();
            await Assertions.Expect(finance.Locator("[data-testid=evidence-refusal]")).ToContainTextAsync("submitted", new() { Timeout = 20_000 });
        });
        var submitted = ObjectOf(fake, won);
        Assert.Equal("under_review", submitted["status"]!.GetValue<string>());
        Assert.StartsWith("file_", submitted["evidence"]!["receipt"]!.GetValue<string>(), StringComparison.Ordinal);

        fake.ResolveDispute(won, DisputeOutcome.Won);
        var lost = fake.CreateDispute(charges[1], "fraudulent");
        fake.ResolveDispute(lost, DisputeOutcome.Lost);
        await fake.Webhooks.WaitForIdleAsync(TimeSpan.FromSeconds(30));
        await Screenshots.OnFailureAsync(finance, console, "dispute-journey-outcomes", async () =>
        {
            // Won: the ledger shows the hold, then the release (and the fee Stripe kept).
            await Browser.ReloadUntilAsync(finance, "[data-testid=dispute-status]", "Won");
            var entries = finance.Locator("[data-testid=dispute-entry]");
            await Assertions.Expect(entries).ToHaveCountAsync(3);
            await Assertions.Expect(entries.First).ToContainTextAsync("Dispute hold");
            await Assertions.Expect(finance.Locator("[data-testid=dispute-entries]")).ToContainTextAsync("Dispute released");
            await Screenshots.SaveAsync(finance, "dispute-won");

            // Lost: Globex owes its invoice again, and its Balance tab says so.
            await ConsolePages.OpenInvoiceAsync(finance, "Globex Logistics");
            await Browser.ReloadUntilAsync(finance, "[data-testid=invoice-status]", "Finalized");
            await ConsolePages.OpenCustomerBalanceAsync(finance, "Globex Logistics");
            await Assertions.Expect(finance.Locator("[data-testid=owed-USD]")).ToContainTextAsync("Owed on invoices");
            await Screenshots.SaveAsync(finance, "customer-owes-after-lost-dispute");
        });

        // The fake now holds a payment Neruba never saw, and Stripe revised the fee on Acme's charge after Neruba recorded it.
        var acmeStripeCustomer = ObjectOf(fake, charges[0])["customer"]!.GetValue<string>();
        fake.RecordOutsidePayment(acmeStripeCustomer, 2500, "usd");
        var acmeTransaction = ObjectOf(fake, charges[0])["balance_transaction"]!.GetValue<string>();
        fake.AdjustFee(acmeTransaction, ObjectOf(fake, acmeTransaction)["fee"]!.GetValue<long>() + 25);
        await Screenshots.OnFailureAsync(finance, console, "dispute-journey-reconcile", async () =>
        {
            await ReconcileTodayAsync(finance, console);
            var kinds = finance.Locator("[data-testid=mismatch-kind]");
            await Assertions.Expect(kinds).ToHaveCountAsync(2, new() { Timeout = 20_000 });
            await Assertions.Expect(finance.Locator("[data-testid=mismatch-table]")).ToContainTextAsync("In Stripe, not in the ledger");
            await Assertions.Expect(finance.Locator("[data-testid=mismatch-table]")).ToContainTextAsync("Fee not recorded");
            await Screenshots.SaveAsync(finance, "reconciliation-mismatches");

            // Finance resolves both: the outside payment is posted to Acme (its wallet: the invoice is paid), the fee difference is posted.
            for (var i = 0; i < 2; i++)
            {
                var open = finance.Locator("[data-testid=mismatch-table] tbody tr", new() { HasTextString = "Open" });
                await open.First.ClickAsync();
                var dialog = finance.Locator(".mud-dialog").Last;
                await Assertions.Expect(dialog.Locator("[data-testid=mismatch-stripe-side]")).ToBeVisibleAsync();
                if (i == 0)
                {
                    await Screenshots.SaveAsync(finance, "reconciliation-mismatch-dialog");
                }

                await dialog.Locator("[data-testid=mismatch-post]").ClickAsync();
                await finance.Locator("[data-testid=reason-dialog-text]").FillAsync("Matches Stripe's dashboard");
                await finance.Locator("[data-testid=reason-dialog-confirm]").ClickAsync();
                await Assertions.Expect(dialog.Locator("[data-testid=mismatch-resolution]")).ToContainTextAsync("Matches Stripe's dashboard");
                await dialog.Locator("[data-testid=mismatch-close]").ClickAsync();
                await Assertions.Expect(open).ToHaveCountAsync(1 - i, new() { Timeout = 20_000 });
            }

            await ReconcileTodayAsync(finance, console);
            await Assertions.Expect(finance.Locator("[data-testid=run-outcome]")).ToContainTextAsync("0 new mismatches, 0 still open");
            await Assertions.Expect(finance.Locator("[data-testid=mismatch-kind]")).ToHaveCountAsync(0);
            await Screenshots.SaveAsync(finance, "reconciliation-clean-run");
        });
    }

    /// <summary>Runs reconciliation for today (up to now) from the console and waits on the run page until it has finished.</summary>
    private static async Task ReconcileTodayAsync(IPage finance, ConsoleProcess console)
    {
        await finance.GotoAsync("/reconciliation");
        await Browser.WaitUntilInteractiveAsync(finance);
        var today = console.Now.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var field in new[] { "reconcile-from", "reconcile-to" })
        {
            var input = finance.Locator($"[data-testid={field}] input").Or(finance.Locator($"input[data-testid={field}]")).First;
            await input.FillAsync(today);
            await input.PressAsync("Tab");
        }

        await finance.Locator("[data-testid=reconcile-start]").ClickAsync();
        await finance.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Run" }).ClickAsync();
        await Browser.WaitForAddressAsync(finance, address => address.Contains("/reconciliation/runs/", StringComparison.Ordinal));
        await Assertions.Expect(finance.Locator("[data-testid=run-status]")).ToHaveTextAsync("Succeeded", new() { Timeout = 60_000 });
    }

    private static JsonObject ObjectOf(FakeStripeServer fake, string id)
    {
        var json = JsonNode.Parse(fake.GetObjectJson(id) ?? throw new InvalidOperationException($"The fake has no {id}."))!.AsObject();
        return json["object"]?.GetValue<string>() == "event" ? json["data"]!["object"]!.AsObject() : json;
    }
}
