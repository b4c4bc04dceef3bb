using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Neruba.EndToEnd.Tests.Support;

namespace Neruba.EndToEnd.Tests;

public class SupportNotesJourneyTests
{
    [Fact]
    public async Task Support_finds_a_customer_from_the_global_search_reads_the_timeline_adds_a_note_and_edits_it()
    {
        await using var console = await ConsoleProcess.StartAsync();
        await using var browser = await Browser.LaunchAsync();
        var admin = await browser.NewPageAsync(console.BaseAddress);
        var supportPassword = "";
        await Screenshots.OnFailureAsync(admin, console, "support-notes-admin", async () =>
        {
            await Browser.SignInAsync(admin, ConsoleProcess.AdminEmail, ConsoleProcess.AdminPassword);
            supportPassword = await ConsolePages.AddMemberAsync(admin, "nora.support@example.test", "Support");
        });

        var support = await browser.NewPageAsync(console.BaseAddress);
        await Screenshots.OnFailureAsync(support, console, "support-notes-support", async () =>
        {
            await ConsolePages.SignInWithOneTimePasswordAsync(support, "nora.support@example.test", supportPassword, "Noras-Own-Password-42!");
            await Browser.WaitUntilInteractiveAsync(support);

            // The app bar's search: type, see the hit, Enter opens it.
            var search = support.Locator("input[data-testid=global-search]");
            await search.FillAsync("Acme");
            await Assertions.Expect(support.Locator(".mud-popover-open [data-testid=search-hit]").First).ToContainTextAsync("Acme Analytics");
            await search.PressAsync("Enter");
            await Assertions.Expect(support).ToHaveURLAsync(new Regex("/customers/[0-9a-f-]+$"));
            await Assertions.Expect(support.Locator("[data-testid=customer-title]")).ToHaveTextAsync("Acme Analytics");

            // The timeline is the first tab: the demo subscription and the customer's creation are on it.
            await Assertions.Expect(support.Locator("[data-testid=timeline-item][data-kind=Subscription]").First).ToContainTextAsync("Subscription started");
            await Assertions.Expect(support.Locator("[data-testid=timeline-item][data-kind=CustomerCreated]")).ToHaveCountAsync(1);

            await support.Locator("textarea[data-testid=note-new]").FillAsync("Called about the March invoice.");
            await support.Locator("[data-testid=note-add]").ClickAsync();
            await Assertions.Expect(support.Locator("[data-testid=note-text]")).ToHaveTextAsync("Called about the March invoice.");
            await Assertions.Expect(support.Locator("[data-testid=timeline-item][data-kind=Note]").First).ToContainTextAsync("Called about the March invoice.");

            await support.Locator("[data-testid=note-edit]").ClickAsync();
            await support.Locator("textarea[data-testid=note-edit-text]").FillAsync("Called about the March invoice; promised a call back.");
            await support.Locator("[data-testid=note-save]").ClickAsync();
            await Assertions.Expect(support.Locator("[data-testid=note-text]")).ToHaveTextAsync("Called about the March invoice; promised a call back.");
            await Assertions.Expect(support.Locator("[data-testid=note-edited]")).ToBeVisibleAsync();
            await Assertions.Expect(support.Locator("[data-testid=note-history]")).ToContainTextAsync("Called about the March invoice.");
            await Screenshots.SaveAsync(support, "customer-timeline");
        });
    }
}
