using Microsoft.Playwright;

namespace Neruba.EndToEnd.Tests.Support;

/// <summary>
/// Debian's headless Chromium driven by Playwright. Playwright's own browser download is never used:
/// it cannot work offline, and CI installs the `chromium` package instead.
/// </summary>
public sealed class Browser : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private Browser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    public static async Task<Browser> LaunchAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: install Debian's chromium package (.ci/run does).");
        }

        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic",
            ],
        });
        return new Browser(playwright, browser);
    }

    /// <summary>A separate browser context: its own cookies, as a second person at another computer.</summary>
    public async Task<IPage> NewPageAsync(Uri baseAddress)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
        });
        context.SetDefaultTimeout(20_000);
        return await context.NewPageAsync();
    }

    /// <summary>Signs in through the form and waits until the live connection is up, so clicks are handled.</summary>
    public static async Task SignInAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("/account/sign-in");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", password);
        await page.ClickAsync("[data-testid=sign-in-submit]");
        await WaitUntilInteractiveAsync(page);
    }

    /// <summary>Opens a MudSelect and picks the option with the given text.</summary>
    public static async Task ChooseAsync(IPage page, string selectSelector, string option)
    {
        // MudSelect puts attributes on a hidden input; the visible control is its .mud-select ancestor.
        await page.Locator($"div.mud-input-control.mud-select:has({selectSelector})").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasTextString = option }).First.ClickAsync();
    }

    /// <summary>
    /// Types into a MudAutocomplete and picks the suggestion. The list re-renders as the debounced search
    /// settles, and a click can land on a list that is being replaced; so pick until the input shows the choice.
    /// </summary>
    public static async Task PickSuggestionAsync(IPage page, string inputSelector, string typed, string suggestion, string expectedValue)
    {
        var input = page.Locator(inputSelector);
        for (var attempt = 1; ; attempt++)
        {
            await input.FillAsync(typed);
            var suggestions = page.Locator(".mud-popover-open .mud-list-item");
            await Assertions.Expect(suggestions).ToHaveCountAsync(1);
            await suggestions.Filter(new() { HasTextString = suggestion }).ClickAsync();
            try
            {
                await Assertions.Expect(input).ToHaveValueAsync(expectedValue, new() { Timeout = 2_000 });
                break;
            }
            catch (PlaywrightException) when (attempt < 3)
            {
                // The click hit a list being replaced; type again.
            }
        }

        // Whatever list is still shown (and the overlay under it, which would swallow the next click) is closed
        // as a person would: Escape in the box. The picker closes its own list after a pick, so usually none is.
        if (await page.Locator(".mud-popover-open").CountAsync() > 0)
        {
            await input.PressAsync("Escape");
        }

        await Assertions.Expect(page.Locator(".mud-popover-open")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator(".mud-overlay:visible")).ToHaveCountAsync(0);
    }

    /// <summary>A billing run's own page, <c>/billing-runs/{id}</c>.</summary>
    public static readonly System.Text.RegularExpressions.Regex RunPage = new(@"/billing-runs/[^/?#]+([?#].*)?$");

    /// <summary>The billing runs list with a query, <c>/billing-runs?…</c>.</summary>
    public static readonly System.Text.RegularExpressions.Regex RunListWithQuery = new(@"/billing-runs\?");

    /// <summary>
    /// Waits until the address the page really shows (read from the page, not from navigation events, which a Blazor history push can slip
    /// past under load) satisfies <paramref name="matches"/>; 30 s for a loaded machine.
    /// </summary>
    public static async Task WaitForAddressAsync(IPage page, Func<string, bool> matches)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string address;
        while (!matches(address = await AddressAsync(page)))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The page stayed at {address}.");
            }

            await Task.Delay(100);
        }
    }

    public static Task WaitForAddressAsync(IPage page, System.Text.RegularExpressions.Regex pattern) => WaitForAddressAsync(page, pattern.IsMatch);

    private static async Task<string> AddressAsync(IPage page)
    {
        try
        {
            return await page.EvaluateAsync<string>("() => location.href");
        }
        catch (PlaywrightException)
        {
            return page.Url; // a full page load is under way: ask again on the next round
        }
    }

    public static Task WaitUntilInteractiveAsync(IPage page) =>
        page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });

    /// <summary>
    /// Reloads the page until <paramref name="selector"/> contains <paramref name="text"/>: for what a background job (a webhook's processing)
    /// changes after the page was rendered. The last check is an assertion, so a miss fails with Playwright's words.
    /// </summary>
    public static async Task ReloadUntilAsync(IPage page, string selector, string text, int seconds = 30)
    {
        var locator = page.Locator(selector);
        await ReloadUntilAsync(page, async () => await locator.CountAsync() > 0
            && (await locator.First.TextContentAsync() ?? "").Contains(text, StringComparison.Ordinal), seconds);
        await Assertions.Expect(locator.First).ToContainTextAsync(text);
    }

    /// <summary>Reloads the page (once a second, at most <paramref name="seconds"/> times) until <paramref name="done"/> holds; true when it did.</summary>
    public static async Task<bool> ReloadUntilAsync(IPage page, Func<Task<bool>> done, int seconds = 30)
    {
        for (var i = 0; i < seconds; i++)
        {
            if (await done())
            {
                return true;
            }

            await Task.Delay(1000);
            await page.ReloadAsync();
            await WaitUntilInteractiveAsync(page);
        }

        return await done();
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
