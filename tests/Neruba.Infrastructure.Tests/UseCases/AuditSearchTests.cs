using Neruba.Domain.Access;
using Neruba.Domain.Audit;
using Neruba.Infrastructure.Access.Projects;
using Neruba.Infrastructure.Audit;
using Neruba.Infrastructure.Customers;
using Neruba.Infrastructure.Tests.Billing;
using Neruba.Infrastructure.Tests.Support;
using Neruba.Infrastructure.UseCases;
using SortField = Neruba.Infrastructure.Audit.SearchAudit.SortField;

namespace Neruba.Infrastructure.Tests.UseCases;

/// <summary>The audit log sorts, filters and pages in the database, names the customers its targets are about, and stays in its project.</summary>
public class AuditSearchTests
{
    private static Task<PageOf<AuditRow>> Search(UseCaseHarness harness, SearchAudit.Request request, Actor? actor = null) =>
        harness.ValueAsync<SearchAudit, SearchAudit.Request, PageOf<AuditRow>>(request, actor);

    private static AuditFilter Action(string action) => new(null, action, null, null, null);

    [Fact]
    public async Task A_customer_or_subscription_target_shows_its_customers_name()
    {
        // Starting the two subscriptions audits "subscription.started" with the subscription's id as the target.
        var (harness, _) = await BillingRunTests.StartWithSubscriptionsAsync();
        await using var _ = harness;
        var updated = await harness.RunAsync<UpdateCustomer, UpdateCustomer.Request, CustomerView>(harness.Admin,
            new("cus_acme", new CustomerInput("Acme Analytics GmbH", null, "USD", "UTC", null)));
        Assert.True(updated.Succeeded, updated.Message);

        var customerRow = Assert.Single((await Search(harness, new(Action("customer.updated"), 0, 25))).Items);
        var subscriptionRows = (await Search(harness, new(Action("subscription.started"), 0, 25, SortField.At, Descending: false))).Items;

        Assert.Equal(("Acme Analytics GmbH", updated.Value!.Id), (customerRow.TargetCustomerName, customerRow.TargetCustomerId));
        Assert.Equal(["Acme Analytics GmbH", "Globex Logistics"], subscriptionRows.Select(r => r.TargetCustomerName).Order());
        Assert.All(subscriptionRows, r => Assert.Equal("subscription", r.TargetType));
        var planRow = Assert.Single((await Search(harness, new(Action("plan.created"), 0, 25))).Items);
        Assert.Null(planRow.TargetCustomerName);
    }

    [Fact]
    public async Task Sorting_by_action_orders_across_pages_and_the_default_is_newest_first()
    {
        await using var harness = await UseCaseHarness.StartAsync();
        foreach (var (id, name) in new[] { ("cus_b", "Bravo"), ("cus_a", "Alpha") })
        {
            harness.Clock.Advance(TimeSpan.FromMinutes(1));
            var created = await harness.RunAsync<CreateCustomer, CreateCustomer.Request, CustomerView>(harness.Admin,
                new(id, new CustomerInput(name, null, "USD", "UTC", null)));
            Assert.True(created.Succeeded, created.Message);
        }

        harness.Clock.Advance(TimeSpan.FromMinutes(1));
        await harness.RunAsync<UpdateCustomer, UpdateCustomer.Request, CustomerView>(harness.Admin,
            new("cus_b", new CustomerInput("Bravo Ltd", null, "USD", "UTC", null)));
        var filter = Action("customer.");

        var pages = new List<AuditRow>();
        for (var page = 0; page < 3; page++)
        {
            pages.AddRange((await Search(harness, new(filter, page, 1, SortField.Action, Descending: true))).Items);
        }

        var newestFirst = await Search(harness, new(filter, 0, 25));
        Assert.Equal(["customer.updated", "customer.created", "customer.created"], pages.Select(r => r.Action));
        Assert.Equal(3, pages.Select(r => r.Id).Distinct().Count());
        Assert.Equal(["Bravo Ltd", "Alpha", "Bravo Ltd"], newestFirst.Items.Select(r => r.TargetCustomerName));
    }

    [Fact]
    public async Task Outcome_actor_target_and_dates_filter_and_another_projects_rows_never_appear()
    {
        await using var harness = await UseCaseHarness.StartAsync();
        var start = harness.Clock.GetUtcNow();
        var viewer = await harness.AddPersonAsync("viewer@example.test", ProjectRole.Viewer);
        harness.Clock.Advance(TimeSpan.FromHours(1));
        var refused = await harness.RunAsync<CreateCustomer, CreateCustomer.Request, CustomerView>(viewer, new("cus_x", new CustomerInput("X", null, "USD", "UTC", null)));
        Assert.Equal(UseCaseStatus.Forbidden, refused.Status);
        var other = await harness.RunAsync<CreateProject, ProjectSettingsInput, ProjectView>(harness.Admin, new("Other", "USD", "UTC", "100.00"));
        var inOther = harness.Admin with { ProjectId = other.Value!.Id };
        var elsewhere = await harness.RunAsync<CreateCustomer, CreateCustomer.Request, CustomerView>(inOther,
            new("cus_elsewhere", new CustomerInput("Elsewhere Inc", null, "USD", "UTC", null)));
        Assert.True(elsewhere.Succeeded, elsewhere.Message);

        var denied = await Search(harness, new(new AuditFilter(null, null, null, null, null, AuditOutcome.Denied), 0, 25));
        var byViewer = await Search(harness, new(new AuditFilter("viewer@", null, null, null, null), 0, 25));
        var beforeRefusal = await Search(harness, new(new AuditFilter(null, null, null, null, start.AddMinutes(30), AuditOutcome.Denied), 0, 25));
        var mine = await Search(harness, new(new AuditFilter(null, null, "customer", null, null), 0, 100));
        var theirs = await Search(harness, new(new AuditFilter(null, "customer.created", null, null, null), 0, 100), inOther);

        Assert.Equal(("access.denied", AuditOutcome.Denied), (Assert.Single(denied.Items).Action, denied.Items[0].Outcome));
        Assert.Equal("access.denied", Assert.Single(byViewer.Items).Action);
        Assert.Equal(0, beforeRefusal.Total);
        Assert.DoesNotContain(mine.Items, r => r.TargetCustomerName == "Elsewhere Inc" || r.TargetId == elsewhere.Value!.Id.ToString());
        Assert.Equal("Elsewhere Inc", Assert.Single(theirs.Items).TargetCustomerName);
    }
}
