using MudBlazor;
using Neruba.Console.Components.Pages.Audit;
using Neruba.Console.Components.Shared;
using Neruba.Domain.Access;
using Neruba.Domain.Audit;
using Neruba.Infrastructure.Audit;
using Neruba.Infrastructure.UseCases;
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

    [Fact]
    public async Task A_slow_older_answer_never_replaces_the_newer_one_and_a_cancelled_query_does_not_throw()
    {
        var rows = new LatestPage<string>();
        var slow = new TaskCompletionSource<UseCaseResult<PageOf<string>>>();
        using var first = new CancellationTokenSource();

        // The first load is slow; the table replaces it (cancelling its token) with a second that answers at once.
        var older = rows.LoadAsync(_ => slow.Task, first.Token);
        await first.CancelAsync();
        var newer = await rows.LoadAsync(_ => Task.FromResult(UseCaseResult<PageOf<string>>.Ok(new PageOf<string>(["new"], 1, 0, 25))), CancellationToken.None);
        slow.SetException(new OperationCanceledException());

        Assert.Equal(["new"], newer.Items!);
        Assert.Equal(["new"], (await older).Items!);
    }

    [Fact]
    public async Task A_refusal_shows_its_message_and_no_rows()
    {
        var rows = new LatestPage<string>();

        var data = await rows.LoadAsync(_ => Task.FromResult(UseCaseResult<PageOf<string>>.NotFound("No customer 'x' in this project.")), CancellationToken.None);

        Assert.Empty(data.Items!);
        Assert.Equal("No customer 'x' in this project.", rows.Error);
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
