using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Playwright;
using Neruba.EndToEnd.Tests.Support;

namespace Neruba.EndToEnd.Tests;

public class AccessJourneyTests
{
    [Fact]
    public async Task An_admin_sets_up_a_project_a_support_member_and_an_api_key_and_the_audit_log_shows_it_all()
    {
        await using var console = await ConsoleProcess.StartAsync();
        await using var browser = await Browser.LaunchAsync();
        var admin = await browser.NewPageAsync(console.BaseAddress);

        await Screenshots.OnFailureAsync(admin, console, "access-journey-admin", async () =>
        {
            await Browser.SignInAsync(admin, ConsoleProcess.AdminEmail, ConsoleProcess.AdminPassword);

            // A second project, which the admin then works in.
            await admin.GotoAsync("/settings/projects/new");
            await Browser.WaitUntilInteractiveAsync(admin);
            await admin.Locator("[data-testid=project-name]").FillAsync("Acme Europe");
            await admin.Locator("[data-testid=project-threshold]").FillAsync("250");
            await admin.Locator("[data-testid=create-project]").ClickAsync();
            await Assertions.Expect(admin.Locator("[data-testid=current-project]")).ToContainTextAsync("Acme Europe");

            // Invite a Support member: a new account with a one-time password.
            await ConsolePages.AddMemberAsync(admin, "sam.support@example.test", "Support");
            await Screenshots.SaveAsync(admin, "members");
        });

        var oneTimePassword = (await admin.Locator("[data-testid=one-time-password]").TextContentAsync())!.Trim();
        var support = await browser.NewPageAsync(console.BaseAddress);
        await Screenshots.OnFailureAsync(support, console, "access-journey-support", async () =>
        {
            await ConsolePages.SignInWithOneTimePasswordAsync(support, "sam.support@example.test", oneTimePassword, "Sams-Own-Password-42!");
            await Assertions.Expect(support.Locator("[data-testid=current-project]")).ToContainTextAsync("Acme Europe");

            foreach (var refused in new[] { "/settings", "/settings/api-keys", "/settings/members" })
            {
                await support.GotoAsync(refused);
                await Assertions.Expect(support.Locator("[data-testid=access-denied]")).ToBeVisibleAsync();
            }

            await support.GotoAsync("/customers/new");
            await Browser.WaitUntilInteractiveAsync(support);
            await support.Locator("[data-testid=customer-external-id]").FillAsync("cus_from_support");
            await support.Locator("[data-testid=customer-name]").FillAsync("Support Made Ltd");
            await support.Locator("[data-testid=save-customer]").ClickAsync();
            await Assertions.Expect(support.Locator("[data-testid=customer-title]")).ToHaveTextAsync("Support Made Ltd");
            await Screenshots.SaveAsync(support, "customer");
        });

        await Screenshots.OnFailureAsync(admin, console, "access-journey-keys", async () =>
        {
            await admin.GotoAsync("/settings/api-keys");
            await Browser.WaitUntilInteractiveAsync(admin);
            await admin.Locator("[data-testid=key-name]").FillAsync("crm sync");
            await admin.GetByText("setup:write").ClickAsync();
            await admin.Locator("[data-testid=create-key]").ClickAsync();
            var secret = (await admin.Locator("[data-testid=new-key-secret]").TextContentAsync())!.Trim();
            Assert.StartsWith("nrb_", secret, StringComparison.Ordinal);
            await Screenshots.SaveAsync(admin, "api-keys");

            using var api = new HttpClient { BaseAddress = console.BaseAddress };
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
            using var created = await PostCustomerAsync(api, "cus_from_api");
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);

            await admin.Locator($"[data-testid=revoke-{secret[..12]}]").ClickAsync();
            await admin.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
            await Assertions.Expect(admin.Locator("[data-testid=key-table]")).ToContainTextAsync("Revoked");

            using var refused = await PostCustomerAsync(api, "cus_after_revoke");
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

            await admin.GotoAsync("/audit");
            var table = admin.Locator("[data-testid=audit-table]");
            foreach (var action in new[] { "project.created", "member.added", "access.denied", "customer.created", "api_key.created", "api_key.revoked" })
            {
                await Assertions.Expect(table).ToContainTextAsync(action);
            }

            await Assertions.Expect(table).ToContainTextAsync("sam.support@example.test");
            await Assertions.Expect(table).ToContainTextAsync("API key crm sync");
            await Screenshots.SaveAsync(admin, "audit");
        });
    }

    private static async Task<HttpResponseMessage> PostCustomerAsync(HttpClient api, string externalId)
    {
        using var body = new StringContent($$"""{"externalId":"{{externalId}}","name":"From the API","currency":"EUR"}""", Encoding.UTF8, "application/json");
        return await api.PostAsync(new Uri("/api/v1/customers", UriKind.Relative), body);
    }
}
