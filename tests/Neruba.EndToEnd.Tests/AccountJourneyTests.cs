using Microsoft.Playwright;
using Neruba.EndToEnd.Tests.Support;

namespace Neruba.EndToEnd.Tests;

public class AccountJourneyTests
{
    [Fact]
    public async Task A_new_member_must_replace_the_one_time_password_before_reaching_the_overview()
    {
        await using var console = await ConsoleProcess.StartAsync();
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.NewPageAsync(console.BaseAddress);

        await Screenshots.OnFailureAsync(page, console, "account-journey", async () =>
        {
            await Browser.SignInAsync(page, ConsoleProcess.AdminEmail, ConsoleProcess.AdminPassword);
            var oneTimePassword = await ConsolePages.AddMemberAsync(page, "olga.operator@example.test", "Operator");
            Assert.StartsWith("Nb-", oneTimePassword, StringComparison.Ordinal);
            await page.Locator("[data-testid=user-menu-button]").ClickAsync();
            await page.Locator("[data-testid=sign-out]").ClickAsync();
            await Assertions.Expect(page.GetByText("You are signed out.")).ToBeVisibleAsync();

            await ConsolePages.SignInWithOneTimePasswordAsync(page, "olga.operator@example.test", oneTimePassword, "Olgas-Own-Password-42!");
            await Assertions.Expect(page.Locator("[data-testid=current-project]")).ToContainTextAsync("Demo project");
            Assert.Equal("/", new Uri(page.Url).AbsolutePath);
            await Screenshots.SaveAsync(page, "overview-after-password-change");

            await page.Locator("[data-testid=user-menu-button]").ClickAsync();
            await page.Locator("[data-testid=sign-out]").ClickAsync();
            await page.FillAsync("#email", "olga.operator@example.test");
            await page.FillAsync("#password", oneTimePassword);
            await page.ClickAsync("[data-testid=sign-in-submit]");
            await Assertions.Expect(page.Locator("[data-testid=sign-in-error]")).ToContainTextAsync("The email or password is not right.");
        });
    }
}
