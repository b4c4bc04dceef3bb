using Microsoft.AspNetCore.Components;
using Neruba.Console.Operations.CommandLine;
using Neruba.Console.Operations.Runbooks;
using Neruba.Infrastructure.Operations.Readiness;

namespace Neruba.Console.Tests.Operations;

/// <summary>The runbooks shipped with the app: one for every signal's recovery path, and every page they send an operator to exists.</summary>
public sealed class RunbookTests
{
    private static readonly RunbookLibrary Library = new();

    [Fact]
    public void Every_runbook_a_signal_links_to_ships_with_the_app_and_has_a_title()
    {
        Assert.All(Runbooks.All, slug => Assert.NotNull(Library.Find(slug)));
        Assert.All(Library.All, runbook => Assert.False(string.Equals(runbook.Title, runbook.Slug, StringComparison.Ordinal), $"{runbook.Slug} has no # title"));
    }

    [Fact]
    public void Every_link_in_a_runbook_opens_a_console_page_or_another_runbook()
    {
        var routes = typeof(NerubaConsoleRegistration).Assembly.GetTypes()
            .SelectMany(t => t.GetCustomAttributes(typeof(RouteAttribute), false).Cast<RouteAttribute>())
            .Select(r => r.Template).ToList();
        var broken = Library.All.SelectMany(r => r.Links.Select(link => (r.Slug, Link: link)))
            .Where(l => !Resolves(l.Link, routes))
            .Select(l => $"{l.Slug}: {l.Link}").ToList();

        Assert.Empty(broken);
        Assert.True(Library.All.Sum(r => r.Links.Count) > 30);
    }

    [Fact]
    public void Every_command_a_runbook_names_is_an_operator_command_with_the_options_it_is_given()
    {
        var commands = OperatorCommandLine.Commands.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var named = Library.All.SelectMany(r => CommandPattern.Matches(r.Markdown).Select(m => (r.Slug, Name: m.Groups["name"].Value, Arguments: m.Groups["rest"].Value)))
            .ToList();

        Assert.True(named.Count >= 5, $"only {named.Count} commands named");
        var fake = CommandPattern.Match("Run `dotnet run --project Neruba.Console -- frobnicate --now`.");
        Assert.False(commands.ContainsKey(fake.Groups["name"].Value));
        Assert.All(named, n =>
        {
            Assert.True(commands.TryGetValue(n.Name, out var command), $"{n.Slug} names '{n.Name}', which is not a command");
            var options = System.Text.RegularExpressions.Regex.Matches(n.Arguments, "--(?<option>[a-z-]+)").Select(m => m.Groups["option"].Value);
            Assert.All(options, option => Assert.Contains(option, command!.Options));
        });
    }

    [Fact]
    public void A_link_to_a_page_that_does_not_exist_is_caught()
    {
        var runbook = RunbookLibrary.Parse("test", "# Test\nOpen [Nowhere](/no-such-page) or [Runbook](/runbooks/no-such-runbook).");
        var routes = new List<string> { "/readiness", "/runbooks/{Slug}" };

        Assert.All(runbook.Links, link => Assert.False(Resolves(link, routes), link));
    }

    [Fact]
    public void Raw_html_in_a_runbook_is_shown_as_text_never_rendered()
    {
        var runbook = RunbookLibrary.Parse("test", "# Test\n<script>alert(1)</script>\n\nText <img src=x onerror=alert(1)>");

        Assert.DoesNotContain("<script", runbook.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", runbook.Html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;", runbook.Html, StringComparison.Ordinal);
    }

    private static readonly System.Text.RegularExpressions.Regex CommandPattern =
        new(@"(?:dotnet run --project Neruba\.Console --|dotnet Neruba\.Console\.dll) (?<name>[a-z-]+)(?<rest>[^`\n]*)");

    /// <summary>A console-relative link matches a page's route (a parameter matches any segment); a runbook link names a shipped runbook.</summary>
    private static bool Resolves(string link, IReadOnlyList<string> routes)
    {
        var path = link.Split('#', '?')[0];
        if (path.StartsWith("/runbooks/", StringComparison.Ordinal))
        {
            return Library.Find(path["/runbooks/".Length..]) is not null;
        }

        var segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        return routes.Any(route =>
        {
            var parts = route.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
            return parts.Length == segments.Length
                && parts.Zip(segments).All(p => p.First.StartsWith('{') || string.Equals(p.First, p.Second, StringComparison.OrdinalIgnoreCase));
        });
    }
}
