using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Neruba.EndToEnd.Tests.Support;
using Neruba.StripeFake;
using Neruba.StripeFake.Webhooks;

namespace Neruba.EndToEnd.Tests;

/// <summary>
/// Stripe payments in the browser against the local Stripe fake: an Admin configures Stripe, Finance defines a credit pack, Support sends a
/// checkout link that is paid in the fake, the webhook (twice, and once badly signed) posts one credit block; an invoice is declined, collected
/// again and paid; a credit note's refund goes back through Stripe.
/// </summary>
public class PaymentJourneyTests
{
    private const string SecretKey = "sk_test_neruba_e2e";
    private const string WebhookSecret = "whsec_neruba_e2e";

    [Fact]
    public async Task Stripe_is_configured_a_pack_is_sold_through_checkout_an_invoice_is_collected_after_a_decline_and_a_refund_goes_through_Stripe()
    {
        await using var fake = await FakeStripeServer.StartAsync(new FakeStripeOptions { SecretKey = SecretKey });
        await using var console = await ConsoleProcess.StartAsync(new Dictionary<string, string> { ["Neruba__Stripe__ApiBase"] = fake.BaseUrl });
        fake.AddWebhookTarget(new Uri(console.BaseAddress, "/webhooks/stripe/demo").ToString(), WebhookSecret);
        await using var browser = await Browser.LaunchAsync();
        var admin = await browser.NewPageAsync(console.BaseAddress);
        string financePassword = "", supportPassword = "";
        await Screenshots.OnFailureAsync(admin, console, "payment-journey-admin", async () =>
        {
            await Browser.SignInAsync(admin, ConsoleProcess.AdminEmail, ConsoleProcess.AdminPassword);
            await ConsolePages.ConfigureStripeAsync(admin, SecretKey, WebhookSecret);
            await Assertions.Expect(admin.Locator("[data-testid=stripe-secret-key]")).ToHaveValueAsync("");
            await admin.Locator("[data-testid=stripe-test]").ClickAsync();
            await Assertions.Expect(admin.Locator("[data-testid=stripe-test-result]")).ToHaveClassAsync(new Regex("success"));
            await Screenshots.SaveAsync(admin, "stripe-settings");
            financePassword = await ConsolePages.AddMemberAsync(admin, "fran.finance@example.test", "Finance");
            supportPassword = await ConsolePages.AddMemberAsync(admin, "sam.support@example.test", "Support");

            await ConsolePages.RunLastMonthAsync(admin);
        });

        var finance = await browser.NewPageAsync(console.BaseAddress);
        await Screenshots.OnFailureAsync(finance, console, "payment-journey-pack", async () =>
        {
            await ConsolePages.SignInWithOneTimePasswordAsync(finance, "fran.finance@example.test", financePassword, "Frans-Own-Password-42!");
            await finance.GotoAsync("/credit-packs");
            await Browser.WaitUntilInteractiveAsync(finance);
            await finance.Locator("[data-testid=new-pack]").ClickAsync();
            await finance.Locator("[data-testid=pack-name-input]").FillAsync("Starter pack");
            await finance.Locator("[data-testid=pack-price]").FillAsync("50.00");
            await finance.Locator("[data-testid=pack-credit]").FillAsync("55.00");
            await finance.Locator("[data-testid=pack-save]").ClickAsync();
            await Assertions.Expect(finance.Locator("[data-testid=pack-table]")).ToContainTextAsync("Starter pack");
        });

        var support = await browser.NewPageAsync(console.BaseAddress);
        await Screenshots.OnFailureAsync(support, console, "payment-journey-checkout", async () =>
        {
            await ConsolePages.SignInWithOneTimePasswordAsync(support, "sam.support@example.test", supportPassword, "Sams-Own-Password-42!");
            await ConsolePages.OpenCustomerBalanceAsync(support, "Acme Analytics");
            await support.Locator("[data-testid=checkout-link]").ClickAsync();
            await support.Locator("[data-testid='checkout-pack-Starter pack']").ClickAsync();
            await support.Locator("[data-testid=checkout-create]").ClickAsync();
            var url = await support.Locator("[data-testid=checkout-url]").TextContentAsync();
            Assert.StartsWith(fake.BaseUrl, url, StringComparison.Ordinal);
            await support.Locator("[data-testid=checkout-done]").ClickAsync();

            // The customer pays on the (fake) Checkout page and comes back to Neruba's thank-you page.
            var buyer = await browser.NewPageAsync(console.BaseAddress);
            await buyer.GotoAsync(url!);
            await buyer.GetByRole(AriaRole.Button, new() { Name = "Pay with card" }).ClickAsync();
            await buyer.WaitForURLAsync("**/checkout/completed**");
            await fake.Webhooks.WaitForIdleAsync(TimeSpan.FromSeconds(30));

            // The same event again, and once with a bad signature: refused, and still one credit block.
            var completed = fake.EventLog().Single(e => e.Type == "checkout.session.completed").Id;
            var again = await fake.Webhooks.SendAsync(completed, WebhookTampering.Duplicate);
            var forged = await fake.Webhooks.SendAsync(completed, WebhookTampering.BadSignature);
            Assert.All(again, d => Assert.Equal(200, d.StatusCode));
            Assert.All(forged, d => Assert.Equal(400, d.StatusCode));

            await ConsolePages.OpenCustomerBalanceAsync(support, "Acme Analytics");
            await Assertions.Expect(support.Locator("[data-testid=block-row]", new() { HasTextString = "Credit pack purchase" })).ToHaveCountAsync(1,
                new() { Timeout = 30_000 });
            await Assertions.Expect(support.Locator("[data-testid=block-row]", new() { HasTextString = "Credit pack purchase" })).ToContainTextAsync("55.00");
            await Assertions.Expect(support.Locator("[data-testid=checkout-table]")).ToContainTextAsync("Paid");
            await Screenshots.SaveAsync(support, "balance-after-purchase");
        });

        await Screenshots.OnFailureAsync(finance, console, "payment-journey-collect", async () =>
        {
            // The card is declined once: the attempt says so in words and a retry is scheduled; Finance collects again and it is paid.
            fake.DeclineNextPaymentIntents(1);
            await ConsolePages.OpenInvoiceAsync(finance, "Acme Analytics");
            await finance.Locator("[data-testid=action-collect]").ClickAsync();
            await finance.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Collect now" }).ClickAsync();
            var attempts = finance.Locator("[data-testid=collection-attempt]");
            await Assertions.Expect(attempts.First).ToContainTextAsync("declined", new() { Timeout = 30_000 });
            await Assertions.Expect(finance.Locator("[data-testid=collection-attempts]")).ToContainTextAsync("retry scheduled for");
            await Screenshots.SaveAsync(finance, "invoice-collection-declined");

            await finance.Locator("[data-testid=action-collect]").ClickAsync();
            await finance.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Collect now" }).ClickAsync();
            await Assertions.Expect(finance.Locator("[data-testid=invoice-status]")).ToHaveTextAsync("Paid", new() { Timeout = 30_000 });

            // A credit note refunds 10.00: it goes back through Stripe and the refund shows as succeeded once Stripe confirms it.
            await finance.Locator("[data-testid=action-credit-note]").ClickAsync();
            await finance.Locator("[data-testid=line-0-amount]").FillAsync("10.00");
            await finance.Locator("[data-testid=line-0-amount]").BlurAsync();
            await finance.Locator("[data-testid=credit-note-refund]").FillAsync("10.00");
            await finance.Locator("[data-testid=credit-note-refund]").BlurAsync();
            await finance.Locator("[data-testid=credit-note-review]").ClickAsync();
            await finance.Locator("[data-testid=credit-note-confirm]").ClickAsync();
            await Assertions.Expect(finance.Locator("[data-testid=chain-credit-note]")).ToContainTextAsync("CN-");
            await Browser.ReloadUntilAsync(finance, "[data-testid=invoice-refunds]", "Refunded");
            var refunds = finance.Locator("[data-testid=invoice-refunds]");
            await Assertions.Expect(refunds).ToContainTextAsync("10.00");
            await Screenshots.SaveAsync(finance, "invoice-paid-and-refunded");

            await finance.GotoAsync("/payments?tab=3");
            await Browser.WaitUntilInteractiveAsync(finance);
            await Assertions.Expect(finance.Locator("[data-testid=stripe-event-table]")).ToContainTextAsync("checkout.session.completed");
            await Screenshots.SaveAsync(finance, "payments-webhooks");
        });
        Assert.Single(fake.EventLog(), e => e.Type == "refund.created");
    }
}
