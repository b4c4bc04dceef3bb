using Microsoft.Playwright;
using Neruba.EndToEnd.Tests.Support;

namespace Neruba.EndToEnd.Tests;

/// <summary>Two tabs of one person on two projects: each tab acts in the project it shows, whatever the other switched to.</summary>
public class ProjectTabsJourneyTests
{
    [Fact]
    public async Task A_switch_in_one_tab_never_redirects_the_other_tabs_actions()
    {
        await using var console = await ConsoleProcess.StartAsync();
        await using var browser = await Browser.LaunchAsync();
        var demoTab = await browser.NewPageAsync(console.BaseAddress);

        await Screenshots.OnFailureAsync(demoTab, console, "project-tabs", async () =>
        {
            await Browser.SignInAsync(demoTab, ConsoleProcess.AdminEmail, ConsoleProcess.AdminPassword);
            await demoTab.GotoAsync("/settings/projects/new");
            await Browser.WaitUntilInteractiveAsync(demoTab);
            await demoTab.Locator("[data-testid=project-name]").FillAsync("Second Shop");
            await demoTab.Locator("[data-testid=create-project]").ClickAsync();
            await Assertions.Expect(demoTab.Locator("[data-testid=current-project]")).ToContainTextAsync("Second Shop");
            await SwitchToAsync(demoTab, "Demo project");

            // The first tab sits on the Demo project's API keys.
            await demoTab.GotoAsync("/settings/api-keys");
            await Browser.WaitUntilInteractiveAsync(demoTab);
            await Assertions.Expect(demoTab.Locator("[data-testid=current-project]")).ToContainTextAsync("Demo project");

            // A second tab of the same browser session switches to the other project.
            var otherTab = await demoTab.Context.NewPageAsync();
            await otherTab.GotoAsync("/");
            await Browser.WaitUntilInteractiveAsync(otherTab);
            await SwitchToAsync(otherTab, "Second Shop");

            // Back in the first tab, without reloading: the key lands in the project that tab shows.
            await demoTab.Locator("[data-testid=key-name]").FillAsync("made in the demo tab");
            await demoTab.GetByText("usage:write").ClickAsync();
            await demoTab.Locator("[data-testid=create-key]").ClickAsync();
            await Assertions.Expect(demoTab.Locator("[data-testid=key-table]")).ToContainTextAsync("made in the demo tab");
            await Assertions.Expect(demoTab.Locator("[data-testid=current-project]")).ToContainTextAsync("Demo project");
            await Screenshots.SaveAsync(demoTab, "project-tabs-demo");

            await otherTab.GotoAsync("/settings/api-keys");
            await Browser.WaitUntilInteractiveAsync(otherTab);
            await Assertions.Expect(otherTab.Locator("[data-testid=current-project]")).ToContainTextAsync("Second Shop");
            await Assertions.Expect(otherTab.Locator("[data-testid=key-table]")).Not.ToContainTextAsync("made in the demo tab");

            // The audit log of the Demo project has the key; the other project's has none.
            await otherTab.GotoAsync("/audit");
            await Assertions.Expect(otherTab.Locator("[data-testid=audit-table]")).ToContainTextAsync("project.created");
            await Assertions.Expect(otherTab.Locator("[data-testid=audit-table]")).Not.ToContainTextAsync("api_key.created");
        });
    }

    private static async Task SwitchToAsync(IPage page, string project)
    {
        await Browser.WaitUntilInteractiveAsync(page);
        var item = page.Locator(".mud-popover-open .mud-menu-item", new() { HasTextString = project });
        for (var attempt = 0; attempt < 5 && !await item.IsVisibleAsync(); attempt++)
        {
            // The menu opens once the live connection handles the click; a click during a redraw is lost, so try again.
            await page.Locator("[data-testid=current-project]").ClickAsync();
            await item.WaitForAsync(new() { Timeout = 3_000 }).ContinueWith(_ => Task.CompletedTask);
        }

        await item.ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=current-project]")).ToContainTextAsync(project);
        await Browser.WaitUntilInteractiveAsync(page);
    }
}
