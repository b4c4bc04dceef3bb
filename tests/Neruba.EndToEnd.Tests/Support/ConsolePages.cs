using Microsoft.Playwright;

namespace Neruba.EndToEnd.Tests.Support;

/// <summary>Steps through the console that several journeys share, done the way a person does them.</summary>
public static class ConsolePages
{
    /// <summary>As an admin: adds a member by email with a role and returns the one-time password shown once.</summary>
    public static async Task<string> AddMemberAsync(IPage admin, string email, string role)
    {
        await admin.GotoAsync("/settings/members");
        await Browser.WaitUntilInteractiveAsync(admin);
        await admin.Locator("[data-testid=member-email]").FillAsync(email);
        await Browser.ChooseAsync(admin, "[data-testid=member-role]", role);
        await admin.Locator("[data-testid=add-member]").ClickAsync();
        return (await admin.Locator("[data-testid=one-time-password]").TextContentAsync())!.Trim();
    }

    /// <summary>
    /// Signs in with a one-time password, which first leads to the change-password page; chooses
    /// <paramref name="ownPassword"/> there and waits until the console is live.
    /// </summary>
    public static async Task SignInWithOneTimePasswordAsync(IPage page, string email, string oneTimePassword, string ownPassword)
    {
        await page.GotoAsync("/account/sign-in");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", oneTimePassword);
        await page.ClickAsync("[data-testid=sign-in-submit]");
        await Assertions.Expect(page.Locator("[data-testid=must-change-password]")).ToBeVisibleAsync();
        await page.FillAsync("#current-password", oneTimePassword);
        await page.FillAsync("#new-password", ownPassword);
        await page.FillAsync("#confirm-password", ownPassword);
        await page.ClickAsync("[data-testid=change-password-submit]");
        await Browser.WaitUntilInteractiveAsync(page);
    }

    /// <summary>As an admin: sets the current project's credit-approval threshold.</summary>
    public static async Task SetApprovalThresholdAsync(IPage admin, string threshold)
    {
        await admin.GotoAsync("/settings");
        await Browser.WaitUntilInteractiveAsync(admin);
        await admin.Locator("[data-testid=project-threshold]").FillAsync(threshold);
        await admin.Locator("[data-testid=save-project]").ClickAsync();
        await Assertions.Expect(admin.GetByText("Settings saved.")).ToBeVisibleAsync();
    }

    /// <summary>As an admin: creates an API key with one scope and returns its secret, shown once.</summary>
    public static async Task<string> CreateApiKeyAsync(IPage admin, string name, string scope)
    {
        await admin.GotoAsync("/settings/api-keys");
        await Browser.WaitUntilInteractiveAsync(admin);
        await admin.Locator("[data-testid=key-name]").FillAsync(name);
        await admin.GetByText(scope).ClickAsync();
        await admin.Locator("[data-testid=create-key]").ClickAsync();
        return (await admin.Locator("[data-testid=new-key-secret]").TextContentAsync())!.Trim();
    }

    /// <summary>Saves the project's Stripe keys on Settings → Payments (as an Admin) and waits until the page says Stripe is configured.</summary>
    public static async Task ConfigureStripeAsync(IPage admin, string secretKey, string webhookSecret)
    {
        await admin.GotoAsync("/settings/payments");
        await Browser.WaitUntilInteractiveAsync(admin);
        await admin.Locator("[data-testid=stripe-secret-key]").FillAsync(secretKey);
        await admin.Locator("[data-testid=stripe-publishable-key]").FillAsync("pk_test_neruba_e2e");
        await admin.Locator("[data-testid=stripe-webhook-secret]").FillAsync(webhookSecret);
        await admin.Locator("[data-testid=stripe-save]").ClickAsync();
        await Assertions.Expect(admin.Locator("[data-testid=stripe-state]")).ToContainTextAsync("Stripe is configured");
    }

    /// <summary>Opens a customer from the list by name and shows its Balance tab.</summary>
    public static async Task OpenCustomerBalanceAsync(IPage page, string customerName)
    {
        await page.GotoAsync("/customers");
        await Browser.WaitUntilInteractiveAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = customerName }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=customer-title]")).ToHaveTextAsync(customerName);
        await page.Locator(".mud-tab", new() { HasTextString = "Balance" }).ClickAsync();
    }

    /// <summary>Opens the customer's latest invoice from the invoice list.</summary>
    public static async Task OpenInvoiceAsync(IPage page, string customer)
    {
        await page.GotoAsync("/invoices");
        await Browser.WaitUntilInteractiveAsync(page);
        var rows = page.Locator("[data-testid=invoice-table] tbody tr", new() { HasTextString = customer });
        await rows.Last.Locator("td").Nth(2).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/invoices/[^/?]+$"));
        await Browser.WaitUntilInteractiveAsync(page);
    }

    /// <summary>Starts last month's final run (preselected) and waits until it has succeeded.</summary>
    public static async Task RunLastMonthAsync(IPage page)
    {
        await page.GotoAsync("/billing-runs");
        await Browser.WaitUntilInteractiveAsync(page);
        await page.Locator("[data-testid=run-start]").ClickAsync();
        await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Start final run" }).ClickAsync();
        await Browser.WaitForAddressAsync(page, Browser.RunPage);
        await Assertions.Expect(page.Locator("[data-testid=run-status]")).ToHaveTextAsync("Succeeded", new() { Timeout = 30_000 });
    }

    /// <summary>On a customer's balance tab: grants credit through the dialog and checks whether it posts at once or waits for Finance.</summary>
    public static async Task GrantCreditAsync(IPage page, string amount, string note, bool expectApproval, string customer = "Acme Analytics")
    {
        await page.Locator("[data-testid=grant-credit]").ClickAsync();
        await page.Locator("[data-testid=grant-amount]").FillAsync(amount);
        await page.Locator("[data-testid=grant-note]").FillAsync(note);
        await page.Locator("[data-testid=grant-review]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=grant-confirmation]")).ToContainTextAsync(customer);
        await Assertions.Expect(page.Locator("[data-testid=grant-outcome]"))
            .ToContainTextAsync(expectApproval ? "waits for a Finance member" : "posted to the wallet at once");
        await page.Locator("[data-testid=grant-confirm]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=grant-dialog]")).ToHaveCountAsync(0);
    }
}
