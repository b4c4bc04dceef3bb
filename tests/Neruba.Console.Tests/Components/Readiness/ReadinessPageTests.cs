using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Neruba.Console.Components.Pages.Readiness;
using Neruba.Console.Components.Pages.Runbooks;
using Neruba.Console.Operations.Runbooks;
using Neruba.Console.Tests.Support;
using Neruba.Domain.Access;
using Neruba.Infrastructure.Ledger.Integrity;
using Neruba.Infrastructure.Operations.Readiness;

namespace Neruba.Console.Tests.Components.Readiness;

/// <summary>One running app with the demo project and a Viewer beside its Admin.</summary>
public sealed class ReadinessFixture : IAsyncLifetime
{
    public ConsoleAppFactory App { get; } = new();
    public string ViewerId { get; private set; } = "";
    public string AdminId { get; private set; } = "";

    public async Task InitializeAsync()
    {
        ViewerId = await App.CreateMemberAsync("viewer@example.test", ProjectRole.Viewer);
        AdminId = await App.CreateMemberAsync("second.admin@example.test", ProjectRole.Admin);
    }

    public Task DisposeAsync()
    {
        App.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>The readiness page against a running app: every member reads and checks; only an Admin changes thresholds.</summary>
public sealed class ReadinessPageTests(ReadinessFixture fixture) : AppSessionTestContext(fixture.App), IClassFixture<ReadinessFixture>
{
    private static readonly Type[] UseCases = [typeof(GetReadiness), typeof(CheckLedgerIntegrity), typeof(ChangeReadinessThresholds)];

    [Fact]
    public async Task A_viewer_reads_every_area_checks_the_ledger_and_sees_thresholds_without_a_save_button()
    {
        await SignInAsync(fixture.ViewerId, UseCases);
        var page = RenderWithAccess<ReadinessPage>(_ => { });

        page.WaitForAssertion(() => Assert.Contains("Is billing safe to run today?", page.Find("[data-testid=readiness-verdict]").TextContent, StringComparison.Ordinal));
        Assert.Equal(4, page.FindAll("[data-testid^=area-]").Count);
        Assert.Equal("/runbooks/ledger-integrity", page.Find("[data-testid='runbook-integrity.ledger']").GetAttribute("href"));
        Assert.Empty(page.FindAll("[data-testid=thresholds-save]"));

        page.Find("[data-testid=integrity-check-now]").Click();

        page.WaitForAssertion(() => Assert.StartsWith("Passed", page.Find("[data-testid=integrity-result]").TextContent.Trim(), StringComparison.Ordinal));
        page.WaitForAssertion(() => Assert.Equal("green", page.Find("[data-testid='signal-integrity.ledger']").GetAttribute("data-level")));
    }

    [Fact]
    public async Task An_admin_changes_a_threshold_and_a_bad_one_is_refused_in_words()
    {
        await SignInAsync(fixture.AdminId, UseCases);
        var page = RenderWithAccess<ReadinessPage>(_ => { });
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=thresholds-save]")));

        page.Find("input[data-testid=threshold-ApprovalAgeHours]").Change("0");
        page.Find("[data-testid=thresholds-save]").Click();
        page.WaitForAssertion(() => Assert.Contains("Between 1 and 744 hours.", page.Find("[data-testid=readiness-thresholds]").TextContent, StringComparison.Ordinal));

        page.Find("input[data-testid=threshold-ApprovalAgeHours]").Change("48");
        page.Find("[data-testid=thresholds-save]").Click();
        page.WaitForAssertion(() => Assert.Contains("older than 48 h red", page.Find("[data-testid='signal-finance.approvals']").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public void A_runbook_renders_its_markdown_and_an_unknown_one_says_so()
    {
        Services.AddSingleton(new RunbookLibrary());

        var runbook = Render<RunbookPage>(p => p.Add(x => x.Slug, Runbooks.FailedBillingRun));
        var missing = Render<RunbookPage>(p => p.Add(x => x.Slug, "no-such-runbook"));

        Assert.Equal("Failed billing run", runbook.Find("[data-testid=runbook] h1").TextContent);
        Assert.Contains(runbook.FindAll("[data-testid=runbook] a"), a => a.GetAttribute("href") == "/billing-runs");
        Assert.Contains("There is no runbook", missing.Find("[data-testid=runbook-missing]").TextContent, StringComparison.Ordinal);
    }
}
