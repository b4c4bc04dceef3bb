using MudBlazor;
using Neruba.Console.Components.Pages.Audit;
using Neruba.Console.Components.Shared;
using Neruba.Domain.Access;
using Neruba.Domain.Audit;
using Neruba.Infrastructure.Audit;
using SortField = Neruba.Infrastructure.Billing.Invoices.ListInvoices.SortField;

namespace Neruba.Console.Tests.Components;

/// <summary>How a list page turns MudTable's request into a use case's page and sort, and where an audit row leads.</summary>
public class ServerTableTests
{
    [Fact]
    public void A_sorted_column_becomes_the_use_cases_sort_field_and_direction()
    {
        var query = ServerTable.Query(new TableState { Page = 2, PageSize = 50, SortLabel = "AmountDue", SortDirection = SortDirection.Ascending },
            SortField.Number, defaultDescending: true);

        Assert.Equal(new TableQuery<SortField>(2, 50, SortField.AmountDue, false), query);
    }

    [Theory]
    [InlineData("AmountDue", SortDirection.None)]
    [InlineData("NoSuchColumn", SortDirection.Ascending)]
    [InlineData(null, SortDirection.Descending)]
    public void An_unsorted_or_unknown_column_falls_back_to_the_lists_default_order(string? label, SortDirection direction)
    {
        var query = ServerTable.Query(new TableState { Page = 0, PageSize = 25, SortLabel = label, SortDirection = direction }, SortField.Number, defaultDescending: true);

        Assert.Equal(new TableQuery<SortField>(0, 25, SortField.Number, true), query);
    }

    [Theory]
    [InlineData("customer", "8a4f6c59-6a53-4a36-a1d7-3cbe5b1b3c10", true, "/customers/8a4f6c59-6a53-4a36-a1d7-3cbe5b1b3c10")]
    [InlineData("subscription", "0b0c6f43-5f0e-4f55-9b53-8bb8d9a5e0f4", true, "/customers/8a4f6c59-6a53-4a36-a1d7-3cbe5b1b3c10")]
    [InlineData("billing_run", "0b0c6f43-5f0e-4f55-9b53-8bb8d9a5e0f4", false, "/billing-runs/0b0c6f43-5f0e-4f55-9b53-8bb8d9a5e0f4")]
    [InlineData("customer", "8a4f6c59-6a53-4a36-a1d7-3cbe5b1b3c10", false, null)]
    [InlineData("use_case", "CreateCustomer", false, null)]
    public void An_audit_row_opens_its_targets_page_when_it_has_one(string type, string id, bool knownCustomer, string? expected)
    {
        var row = new AuditRow(Guid.NewGuid(), DateTimeOffset.UnixEpoch, ActorKind.User, "a@example.test", "x", AuditOutcome.Succeeded, type, id, null, null, null, "c",
            knownCustomer ? Guid.Parse("8a4f6c59-6a53-4a36-a1d7-3cbe5b1b3c10") : null, knownCustomer ? "Acme" : null);

        Assert.Equal(expected, AuditTargetLinks.Href(row));
    }
}
