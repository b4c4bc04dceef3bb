using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Neruba.Console.Components.Layout;
using Neruba.Console.Components.Pages;
using Neruba.Console.Components.Shared;
using Neruba.Domain.Access;
using Neruba.Infrastructure.Access;

namespace Neruba.Console.Tests.Components;

public class ShellComponentTests : MudTestContext
{
    [Theory]
    [InlineData("Succeeded", "mud-chip-color-success")]
    [InlineData("Failed", "mud-chip-color-error")]
    [InlineData("Processing", "mud-chip-color-info")]
    public void A_job_state_chip_names_the_state_in_its_colour(string state, string cssClass)
    {
        var chip = Render<JobStateChip>(p => p.Add(c => c.State, state));

        var element = chip.Find("[data-testid=job-state]");
        Assert.Equal(state, element.TextContent.Trim());
        Assert.Contains(cssClass, element.ClassName, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_area_in_the_navigation_has_a_page()
    {
        var routes = typeof(NerubaConsoleRegistration).Assembly.GetTypes()
            .SelectMany(t => t.GetCustomAttributes(typeof(RouteAttribute), false).Cast<RouteAttribute>()).Select(r => r.Template).ToHashSet();
        Assert.All(ConsoleAreas.All, area => Assert.Contains(area.Href, routes));
    }

    [Theory]
    [InlineData(ProjectRole.Viewer, false)]
    [InlineData(ProjectRole.Finance, false)]
    [InlineData(ProjectRole.Operator, true)]
    [InlineData(ProjectRole.Admin, true)]
    public void The_jobs_link_shows_only_for_roles_that_run_jobs(ProjectRole role, bool shown)
    {
        var access = new ProjectAccess("user-1", new ProjectMembershipView(Guid.NewGuid(), "Demo project", role), []);

        var menu = Render<NavMenu>(p => p.Add(m => m.Access, access));

        Assert.Equal(shown, menu.FindAll("a").Any(a => a.GetAttribute("href") == "/operations/jobs"));
        Assert.Contains(menu.FindAll("a"), a => a.GetAttribute("href") == "/customers");
    }

    [Fact]
    public void Every_member_gets_the_api_reference_in_the_navigation_in_a_new_tab()
    {
        var access = new ProjectAccess("user-1", new ProjectMembershipView(Guid.NewGuid(), "Demo project", ProjectRole.Viewer), []);

        var menu = Render<NavMenu>(p => p.Add(m => m.Access, access));

        var link = Assert.Single(menu.FindAll("a"), a => a.GetAttribute("href") == "/api-reference");
        Assert.Equal("_blank", link.GetAttribute("target"));
    }

    [Fact]
    public void A_failing_page_shows_a_friendly_message_with_an_incident_id_and_recovers()
    {
        FailingComponent.ShouldFail = true;
        var boundary = Render<NerubaErrorBoundary>(p => p.AddChildContent<FailingComponent>());

        var notice = boundary.Find("[data-testid=error-notice]");
        Assert.Contains("Something went wrong", notice.TextContent, StringComparison.Ordinal);
        Assert.Contains(boundary.Instance.IncidentId!, notice.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", boundary.Markup, StringComparison.Ordinal);

        FailingComponent.ShouldFail = false;
        boundary.Find("[data-testid=error-notice] button").Click();
        Assert.Contains("recovered", boundary.Markup, StringComparison.Ordinal);
    }

    private sealed class FailingComponent : ComponentBase
    {
        public static bool ShouldFail { get; set; } = true;

        protected override void BuildRenderTree(Microsoft.AspNetCore.Components.Rendering.RenderTreeBuilder builder)
        {
            if (ShouldFail)
            {
                throw new InvalidOperationException("boom");
            }

            builder.AddContent(0, "recovered");
        }
    }
}
