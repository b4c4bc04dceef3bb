using Microsoft.Playwright;
using Neruba.EndToEnd.Tests.Support;

namespace Neruba.EndToEnd.Tests;

public class ShellJourneyTests
{
    [Fact]
    public async Task The_admin_signs_in_switches_theme_and_runs_the_diagnostic_job_live()
    {
        await using var console = await ConsoleProcess.StartAsync();
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.NewPageAsync(console.BaseAddress);

        await Screenshots.OnFailureAsync(page, console, "shell-journey", async () =>
        {
            await page.GotoAsync("/");
            Assert.Contains("/account/sign-in", page.Url, StringComparison.Ordinal);

            await Browser.SignInAsync(page, ConsoleProcess.AdminEmail, ConsoleProcess.AdminPassword);
            await Assertions.Expect(page.Locator("h4")).ToHaveTextAsync("Demo project");
            await Assertions.Expect(page.Locator("[data-testid=current-project]")).ToContainTextAsync("Demo project");
            await Assertions.Expect(page.Locator("[data-testid=customer-count]")).ToHaveTextAsync("6");
            await Screenshots.SaveAsync(page, "overview");

            var toggle = page.Locator("[data-testid=theme-toggle]");
            await Assertions.Expect(toggle).ToHaveAttributeAsync("data-theme", "light");
            var lightBackground = await BodyBackgroundAsync(page);
            await toggle.ClickAsync();
            await Assertions.Expect(toggle).ToHaveAttributeAsync("data-theme", "dark");
            Assert.NotEqual(lightBackground, await BodyBackgroundAsync(page));
            await Screenshots.SaveAsync(page, "overview-dark");

            // The choice is remembered for the person, not just for this page.
            await page.ReloadAsync();
            await Browser.WaitUntilInteractiveAsync(page);
            await Assertions.Expect(page.Locator("[data-testid=theme-toggle]")).ToHaveAttributeAsync("data-theme", "dark");

            await page.GetByRole(AriaRole.Link, new() { Name = "Jobs", Exact = true }).ClickAsync();
            await Assertions.Expect(page.Locator("h4")).ToHaveTextAsync("Jobs");
            var run = page.Locator("[data-testid=run-diagnostic]");
            await Assertions.Expect(run).ToBeEnabledAsync();
            var url = page.Url;
            await run.ClickAsync();

            var state = page.Locator("[data-testid=job-state]");
            await Assertions.Expect(state).ToHaveTextAsync("Processing");
            await Assertions.Expect(state).ToHaveTextAsync("Succeeded", new() { Timeout = 30_000 });
            Assert.Equal(url, page.Url);

            var history = await page.Locator("[data-testid=job-history] tbody tr td:first-child").AllTextContentsAsync();
            Assert.Equal(["Enqueued", "Processing", "Succeeded"], history.Select(h => h.Trim()).ToArray());
            await Screenshots.SaveAsync(page, "jobs");

            // The bootstrap admin is a system administrator: the Hangfire dashboard opens and works under its
            // Content-Security-Policy (its scripts run: the live "realtime" graph is drawn, nothing is blocked).
            var blocked = new List<string>();
            page.Console += (_, message) =>
            {
                if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
                {
                    blocked.Add(message.Text);
                }
            };
            await page.GotoAsync("/jobs/recurring");
            await Assertions.Expect(page.Locator("body")).ToContainTextAsync("credit-expiry");
            await page.GotoAsync("/jobs");
            await Assertions.Expect(page.Locator("canvas").First).ToBeVisibleAsync();
            Assert.Empty(blocked);
            await Screenshots.SaveAsync(page, "hangfire-dashboard");
        });
    }

    [Fact]
    public async Task Readiness_opens_from_the_navigation_and_an_unknown_address_says_so_honestly()
    {
        await using var console = await ConsoleProcess.StartAsync();
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.NewPageAsync(console.BaseAddress);

        await Screenshots.OnFailureAsync(page, console, "areas", async () =>
        {
            await Browser.SignInAsync(page, ConsoleProcess.AdminEmail, ConsoleProcess.AdminPassword);

            await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Readiness" }).ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=readiness-verdict]")).ToContainTextAsync("billing");

            var response = await page.GotoAsync("/no/such/page");
            Assert.Equal(404, response!.Status);
            await Assertions.Expect(page.Locator("[data-testid=not-found]")).ToContainTextAsync("Page not found");
        });
    }

    private static Task<string> BodyBackgroundAsync(IPage page) =>
        page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");
}
