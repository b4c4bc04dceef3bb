using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Access.Projects;
using Neruba.Infrastructure.Credits;
using Neruba.Infrastructure.Tests.Support;
using Neruba.Infrastructure.UseCases;
using SortField = Neruba.Infrastructure.Credits.ListCreditGrants.SortField;

namespace Neruba.Infrastructure.Tests.Ledger;

/// <summary>The credit grant list (the approvals queue and all grants) pages, sorts and filters in the database, per project.</summary>
public class CreditGrantListTests
{
    private static Task<PageOf<CreditGrantView>> List(UseCaseHarness harness, ListCreditGrants.Request request, Actor? actor = null) =>
        harness.ValueAsync<ListCreditGrants, ListCreditGrants.Request, PageOf<CreditGrantView>>(request, actor);

    /// <summary>Acme 25.00 (posted), Globex 60.00 (posted), Umbrella 500.00 (waiting: above the 100.00 threshold), a minute apart.</summary>
    private static async Task<UseCaseHarness> WithGrantsAsync()
    {
        var harness = await CreditGrantTests.StartWithThresholdAsync("100.00");
        foreach (var (customer, amount) in new[] { ("cus_acme", "25.00"), ("cus_globex", "60.00"), ("cus_umbrella", "500.00") })
        {
            harness.Clock.Advance(TimeSpan.FromMinutes(1));
            var grant = await harness.RunAsync<RequestCreditGrant, RequestCreditGrant.Request, CreditGrantView>(harness.Admin,
                new(customer, amount, "USD", "goodwill", "", null));
            Assert.True(grant.Succeeded, grant.Message);
        }

        return harness;
    }

    [Fact]
    public async Task Sorting_by_amount_orders_across_pages_and_the_default_is_newest_request_first()
    {
        await using var harness = await WithGrantsAsync();

        var amounts = new List<long>();
        for (var page = 0; page < 3; page++)
        {
            var one = await List(harness, new(null, page, 1, null, SortField.Amount, Descending: true));
            Assert.Equal(3, one.Total);
            amounts.Add(Assert.Single(one.Items).Amount.Minor);
        }

        var newest = await List(harness, new(null));
        var byCustomer = await List(harness, new(null, 0, 25, null, SortField.Customer, Descending: false));
        Assert.Equal([50_000L, 6_000L, 2_500L], amounts);
        Assert.Equal(["Umbrella Health", "Globex Logistics", "Acme Analytics"], newest.Items.Select(g => g.CustomerName));
        Assert.Equal(["Acme Analytics", "Globex Logistics", "Umbrella Health"], byCustomer.Items.Select(g => g.CustomerName));
    }

    [Fact]
    public async Task Status_and_customer_filters_narrow_the_list()
    {
        await using var harness = await WithGrantsAsync();

        var waiting = await List(harness, new(CreditGrantStatus.PendingApproval));
        var posted = await List(harness, new(CreditGrantStatus.Posted));
        var globex = await List(harness, new(null, 0, 25, "glob"));
        var byExternalId = await List(harness, new(null, 0, 25, "cus_acme"));
        var postedUmbrella = await List(harness, new(CreditGrantStatus.Posted, 0, 25, "Umbrella"));

        Assert.Equal("Umbrella Health", Assert.Single(waiting.Items).CustomerName);
        Assert.Equal(2, posted.Total);
        Assert.Equal("Globex Logistics", Assert.Single(globex.Items).CustomerName);
        Assert.Equal(2_500, Assert.Single(byExternalId.Items).Amount.Minor);
        Assert.Equal(0, postedUmbrella.Total);
    }

    [Fact]
    public async Task Another_projects_grants_never_appear()
    {
        await using var harness = await WithGrantsAsync();
        var other = await harness.RunAsync<CreateProject, ProjectSettingsInput, ProjectView>(harness.Admin, new("Other", "USD", "UTC", "100.00"));

        var inOther = await List(harness, new(null), harness.Admin with { ProjectId = other.Value!.Id });

        Assert.Equal(0, inOther.Total);
        Assert.Equal(3, (await List(harness, new(null))).Total);
    }
}
