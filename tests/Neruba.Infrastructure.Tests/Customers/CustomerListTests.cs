using Neruba.Infrastructure.Access.Projects;
using Neruba.Infrastructure.Customers;
using Neruba.Infrastructure.Tests.Support;
using Neruba.Infrastructure.UseCases;
using SortField = Neruba.Infrastructure.Customers.ListCustomers.SortField;

namespace Neruba.Infrastructure.Tests.Customers;

/// <summary>The customer list searches, sorts and pages in the database, per project (the six demo customers).</summary>
public class CustomerListTests
{
    private static Task<PageOf<CustomerView>> List(UseCaseHarness harness, ListCustomers.Request request, Actor? actor = null) =>
        harness.ValueAsync<ListCustomers, ListCustomers.Request, PageOf<CustomerView>>(request, actor);

    [Fact]
    public async Task Names_sort_descending_across_pages_and_search_finds_name_external_id_or_email()
    {
        await using var harness = await UseCaseHarness.StartAsync();

        var first = await List(harness, new(null, 0, 4, SortField.Name, Descending: true));
        var second = await List(harness, new(null, 1, 4, SortField.Name, Descending: true));

        Assert.Equal((6, 6), (first.Total, second.Total));
        Assert.Equal(["Wayne Robotics", "Umbrella Health", "Initech Software", "Hooli Cloud", "Globex Logistics", "Acme Analytics"],
            first.Items.Concat(second.Items).Select(c => c.Name));
        Assert.Equal("cus_globex", Assert.Single((await List(harness, new("ap@globex", 0, 25))).Items).ExternalId);
        Assert.Equal("Hooli Cloud", Assert.Single((await List(harness, new("cus_hoo", 0, 25))).Items).Name);
    }

    [Fact]
    public async Task Another_projects_customers_never_appear()
    {
        await using var harness = await UseCaseHarness.StartAsync();
        var other = await harness.RunAsync<CreateProject, ProjectSettingsInput, ProjectView>(harness.Admin, new("Other", "USD", "UTC", "100.00"));

        var inOther = await List(harness, new(null, 0, 25), harness.Admin with { ProjectId = other.Value!.Id });

        Assert.Equal(0, inOther.Total);
    }
}
