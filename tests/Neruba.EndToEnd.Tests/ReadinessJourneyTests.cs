using Microsoft.Playwright;
using Neruba.EndToEnd.Tests.Support;

namespace Neruba.EndToEnd.Tests;

public class ReadinessJourneyTests
{
    [Fact]
    public async Task The_demo_shows_real_signals_a_check_turns_integrity_green_and_an_overdue_approval_turns_red_with_its_runbook()
    {
        await using var first = await ConsoleProcess.StartAsync();
        await using var browser = await Browser.LaunchAsync();
        var admin = await browser.NewPageAsync(first.BaseAddress);
        await Screenshots.OnFailureAsync(admin, first, "readiness-demo", async () =>
        {
            await Browser.SignInAsync(admin, ConsoleProcess.AdminEmail, ConsoleProcess.AdminPassword);
            await admin.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Readiness" }).ClickAsync();
            await Assertions.Expect(admin.Locator("[data-testid=readiness-verdict]")).ToContainTextAsync("Is billing safe to run today?");
            await Assertions.Expect(admin.Locator("[data-testid='signal-platform.database']")).ToHaveAttributeAsync("data-level", "green");
            await Assertions.Expect(admin.Locator("[data-testid='signal-platform.jobs']")).ToHaveAttributeAsync("data-level", "green");
            await Assertions.Expect(admin.Locator("[data-testid='figure-platform.disk']")).ToContainTextAsync("MB free");
            await Assertions.Expect(admin.Locator("[data-testid='signal-integrity.ledger']")).ToHaveAttributeAsync("data-level", "amber");
            await Assertions.Expect(admin.Locator("[data-testid='figure-integrity.ledger']")).ToHaveTextAsync("Never checked");
            await Assertions.Expect(admin.Locator("[data-testid='signal-platform.stripe']")).ToHaveAttributeAsync("data-level", "off");

            // Money integrity on demand: the demo's ledger (its grants and credit) passes.
            await Browser.WaitUntilInteractiveAsync(admin);
            await admin.Locator("[data-testid=integrity-check-now]").ClickAsync();
            await Assertions.Expect(admin.Locator("[data-testid=integrity-result]")).ToContainTextAsync("Passed");
            await Assertions.Expect(admin.Locator("[data-testid='signal-integrity.ledger']")).ToHaveAttributeAsync("data-level", "green");

            // A grant above the approval threshold waits for a second person: amber while fresh.
            await ConsolePages.OpenCustomerBalanceAsync(admin, "Acme Analytics");
            await ConsolePages.GrantCreditAsync(admin, "400.00", "Outage week", expectApproval: true);
            await admin.GotoAsync("/readiness");
            await Assertions.Expect(admin.Locator("[data-testid='signal-finance.approvals']")).ToHaveAttributeAsync("data-level", "amber");
            await Assertions.Expect(admin.Locator("[data-testid='figure-finance.approvals']")).ToContainTextAsync("1 credit grant; oldest waiting");
            await Screenshots.SaveAsync(admin, "readiness");

            // The overview names what needs attention and links the page.
            await admin.GotoAsync("/");
            await Assertions.Expect(admin.Locator("[data-testid=overview-readiness-caption]")).ToContainTextAsync("Awaiting approval");
            await Browser.WaitUntilInteractiveAsync(admin);
            await admin.Locator("[data-testid=overview-readiness-link]").ClickAsync();
            await Assertions.Expect(admin.Locator("[data-testid=readiness-verdict]")).ToBeVisibleAsync();
        });

        // A day and more later nobody has decided: the same data, the console's clock 25 hours on.
        var later = first.Now.AddHours(25);
        await first.KillAsync();
        await using var next = await ConsoleProcess.StartOnSameDataAsync(first, new Dictionary<string, string>
        {
            ["Neruba__Testing__ClockStartUtc"] = later.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        });
        var finance = await browser.NewPageAsync(next.BaseAddress);
        await Screenshots.OnFailureAsync(finance, next, "readiness-overdue", async () =>
        {
            await Browser.SignInAsync(finance, ConsoleProcess.AdminEmail, ConsoleProcess.AdminPassword);
            await finance.GotoAsync("/readiness");
            var approvals = finance.Locator("[data-testid='signal-finance.approvals']");
            await Assertions.Expect(approvals).ToHaveAttributeAsync("data-level", "red");
            await Assertions.Expect(finance.Locator("[data-testid='figure-finance.approvals']")).ToContainTextAsync("oldest waiting 25 h");
            await Assertions.Expect(finance.Locator("[data-testid=readiness-verdict]")).ToHaveAttributeAsync("data-level", "red");
            await Screenshots.SaveAsync(finance, "readiness-red");

            // The signal's runbook opens in the app and names the page that fixes it. A click while the circuit starts
            // can land on the prerendered link just as it is replaced, so the page is interactive first.
            await Browser.WaitUntilInteractiveAsync(finance);
            await finance.Locator("[data-testid='runbook-finance.approvals']").ClickAsync();
            await Assertions.Expect(finance.Locator("[data-testid=runbook] h1")).ToHaveTextAsync("Credit approval backlog");
            await Screenshots.SaveAsync(finance, "runbook");
            await finance.Locator("[data-testid=runbook]").GetByRole(AriaRole.Link, new() { Name = "Credits" }).ClickAsync();
            await Assertions.Expect(finance.Locator("[data-testid=approval-queue]")).ToContainTextAsync("Outage week");
        });
    }
}
