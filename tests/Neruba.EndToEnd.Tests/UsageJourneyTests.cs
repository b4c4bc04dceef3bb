using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using Neruba.EndToEnd.Tests.Support;

namespace Neruba.EndToEnd.Tests;

public class UsageJourneyTests
{
    [Fact]
    public async Task Events_sent_twice_count_once_a_changed_payload_conflicts_and_a_backfill_shows_its_progress()
    {
        await using var console = await ConsoleProcess.StartAsync();
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.NewPageAsync(console.BaseAddress);

        await Screenshots.OnFailureAsync(page, console, "usage-journey", async () =>
        {
            await Browser.SignInAsync(page, ConsoleProcess.AdminEmail, ConsoleProcess.AdminPassword);

            // A metric, then a key that may send usage.
            await page.GotoAsync("/usage/metrics");
            await Browser.WaitUntilInteractiveAsync(page);
            await page.Locator("[data-testid=metric-code]").FillAsync("api_calls");
            await page.Locator("[data-testid=metric-name]").FillAsync("API calls");
            await page.Locator("[data-testid=metric-save]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=metric-table]")).ToContainTextAsync("api_calls");

            var secret = await ConsolePages.CreateApiKeyAsync(page, "usage pipeline", "usage:write");

            // Send three events, then the same three again, then one with a changed payload.
            using var api = new HttpClient { BaseAddress = console.BaseAddress };
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
            // Five minutes ago, but never before this month began: the explorer's first row is this month.
            var now = console.Now;
            var at = new[] { now.AddMinutes(-5), new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero) }.Max().ToString("O");
            string Batch(string suffix) => "{\"events\":[" + string.Join(',', Enumerable.Range(1, 3).Select(i =>
                "{\"eventId\":\"call-" + i + "\",\"customerId\":\"cus_acme\",\"metric\":\"api_calls\",\"occurredAt\":\"" + at
                + "\",\"properties\":{\"path\":\"/v1/" + suffix + "\"}}")) + "]}";
            var first = await PostAsync(api, Batch("a"));
            var resent = await PostAsync(api, Batch("a"));
            var changed = await PostAsync(api, Batch("b"));
            Assert.Equal(3, first.GetProperty("accepted").GetInt32());
            Assert.Equal(3, resent.GetProperty("duplicates").GetInt32());
            Assert.Equal("conflict", changed.GetProperty("results")[0].GetProperty("status").GetString());
            Assert.Contains("call-1", changed.GetProperty("results")[0].GetProperty("reason").GetString(), StringComparison.Ordinal);

            // The explorer counts three, not six.
            await page.GotoAsync("/usage");
            await Browser.WaitUntilInteractiveAsync(page);
            await Browser.PickSuggestionAsync(page, "input[data-testid=usage-customer]", "Acme", "Acme Analytics", "Acme Analytics (cus_acme)");
            await page.Locator("[data-testid=usage-show]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=usage-periods] tbody tr").First).ToContainTextAsync("3");
            await Assertions.Expect(page.Locator("[data-testid=usage-events]")).ToContainTextAsync("call-2");
            await Screenshots.SaveAsync(page, "usage-explorer");

            // A backfill file: two good lines, one unknown customer; its progress reaches the end.
            await page.GotoAsync("/usage/imports");
            await Browser.WaitUntilInteractiveAsync(page);
            var old = console.Now.AddDays(-2).ToString("O");
            var file = $"event_id,customer_id,metric,occurred_at,properties\nold-1,cus_acme,api_calls,{old},\nold-2,cus_globex,api_calls,{old},\nold-3,cus_nobody,api_calls,{old},\n";
            // Blazor's InputFile listens for the file only once its script has set the input up (after the live render):
            // a file chosen before that is lost, so wait for the mark that script leaves on the element.
            await page.WaitForFunctionAsync("() => document.querySelector('input[type=file]')?._blazorInputFileNextFileId !== undefined");
            await page.Locator("input[type=file]").SetInputFilesAsync(new FilePayload { Name = "backfill.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(file) });
            await Assertions.Expect(page.Locator("[data-testid=import-status]").First).ToHaveTextAsync("Succeeded", new() { Timeout = 30_000 });
            await Assertions.Expect(page.Locator("[data-testid=import-table]")).ToContainTextAsync("3 of 3 lines");
            await Assertions.Expect(page.Locator("[data-testid=import-table]")).ToContainTextAsync("reasons (CSV)");
            await Screenshots.SaveAsync(page, "usage-imports");
        });
    }

    private static async Task<JsonElement> PostAsync(HttpClient api, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await api.PostAsync(new Uri("/api/v1/events", UriKind.Relative), content);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
