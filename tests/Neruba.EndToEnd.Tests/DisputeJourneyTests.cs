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
    }

    private static JsonObject ObjectOf(FakeStripeServer fake, string id)
    {
        var json = JsonNode.Parse(fake.GetObjectJson(id) ?? throw new InvalidOperationException($"The fake has no {id}."))!.AsObject();
        return json["object"]?.GetValue<string>() == "event" ? json["data"]!["object"]!.AsObject() : json;
    }
}
