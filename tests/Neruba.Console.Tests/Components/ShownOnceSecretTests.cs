using Bunit;
using Microsoft.AspNetCore.Components;
using Neruba.Console.Components.Shared;

namespace Neruba.Console.Tests.Components;

public class ShownOnceSecretTests : MudTestContext
{
    [Fact]
    public async Task A_second_click_while_the_first_runs_is_dropped_not_run_again()
    {
        var flight = new SingleFlight();
        var release = new TaskCompletionSource();
        var runs = 0;

        var first = flight.RunAsync(async () => { runs++; await release.Task; });
        var second = await flight.RunAsync(() => { runs++; return Task.CompletedTask; });

        Assert.False(second);
        Assert.True(flight.Running);
        release.SetResult();
        Assert.True(await first);
        Assert.False(flight.Running);
        Assert.Equal(1, runs);
    }

    [Fact]
    public void A_shown_secret_stays_beside_later_ones_until_the_person_says_they_copied_it()
    {
        var secrets = new List<ShownSecret> { new("sam@example.test", "Nb-first-7") };
        RenderFragment<ShownSecret> words = secret => builder => builder.AddContent(0, "For " + secret.Label);
        var notices = Render<SecretNotices>(p => p.Add(n => n.Secrets, secrets).Add(n => n.TestId, "one-time-password").Add(n => n.ChildContent, words));

        secrets.Add(new ShownSecret("kim@example.test", "Nb-second-7"));
        notices.Render();
        Assert.Equal(["Nb-first-7", "Nb-second-7"], notices.FindAll("[data-testid=one-time-password]").Select(e => e.TextContent));

        notices.FindAll("[data-testid=one-time-password-dismiss]")[0].Click();

        Assert.Equal(["Nb-second-7"], notices.FindAll("[data-testid=one-time-password]").Select(e => e.TextContent));
        Assert.Contains("For kim@example.test", notices.Markup, StringComparison.Ordinal);
    }
}
