using Neruba.Domain.Access;
using Neruba.Infrastructure.Credits;
using Neruba.Infrastructure.Customers;
using Neruba.Infrastructure.Customers.Notes;
using Neruba.Infrastructure.Customers.Timeline;
using Neruba.Infrastructure.Tests.Billing;
using Neruba.Infrastructure.Tests.Corrections;
using Neruba.Infrastructure.Tests.Support;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Tests.Customers;

/// <summary>One timeline of everything that happened to a customer, newest first, in a fixed number of queries.</summary>
public class CustomerTimelineTests
{
    private static Task<UseCaseResult<TimelinePage>> Timeline(UseCaseHarness harness, Actor actor, string customer, DateTimeOffset? before = null,
        int size = 50) =>
        harness.RunAsync<GetCustomerTimeline, GetCustomerTimeline.Request, TimelinePage>(actor, new(customer, before, size));

    [Fact]
    public async Task A_credited_and_paid_invoice_a_grant_and_a_note_show_newest_first_with_amounts_people_and_links()
    {
        var s = await CorrectionScenario.StartAsync();
        await using var harness = s.Harness;
        var support = await harness.AddPersonAsync("support@example.test", ProjectRole.Support);
        var viewer = await harness.AddPersonAsync("viewer@example.test", ProjectRole.Viewer);
        harness.Clock.Advance(TimeSpan.FromHours(1));
        Assert.True((await s.CreditAsync(s.Acme, flat: "5.00")).Succeeded);
        harness.Clock.Advance(TimeSpan.FromHours(1));
        Assert.True((await s.PayAsync(s.Acme, "40.50")).Succeeded);
        harness.Clock.Advance(TimeSpan.FromHours(1));
        var grant = await harness.RunAsync<RequestCreditGrant, RequestCreditGrant.Request, CreditGrantView>(support,
            new("cus_acme", "10.00", "USD", "goodwill", "Sorry for the outage", null));
        Assert.True(grant.Succeeded, grant.Message);
        harness.Clock.Advance(TimeSpan.FromHours(1));
        Assert.True((await harness.RunAsync<AddCustomerNote, AddCustomerNote.Request, CustomerNoteView>(support, new("cus_acme", "Promised a credit."))).Succeeded);

        var (result, queries) = await harness.CountQueriesAsync(() => Timeline(harness, viewer, "cus_acme"));

        Assert.True(result.Succeeded, result.Message);
        var items = result.Value!.Items;
        Assert.Equal(items.OrderByDescending(i => i.At).Select(i => i.At), items.Select(i => i.At));
        var kinds = items.Select(i => i.Kind).ToList();
        Assert.Equal([TimelineKind.Note, TimelineKind.CreditGranted, TimelineKind.Payment, TimelineKind.CreditNoteIssued, TimelineKind.InvoiceFinalized],
            kinds.Take(5));
        Assert.Contains(TimelineKind.Subscription, kinds);
        Assert.Contains(TimelineKind.CustomerCreated, kinds);
        Assert.Equal(("support@example.test", (string?)null), (items[0].Who, items[0].Link));
        Assert.Equal((1000L, "USD", "support@example.test"), (items[1].Amount, items[1].Currency, items[1].Who));
        Assert.Equal((4050L, $"/invoices/{s.Acme}"), (items[2].Amount, items[2].Link));
        Assert.Contains("Bank transfer", items[2].Words, StringComparison.Ordinal);
        Assert.Equal(500L, items[3].Amount);
        Assert.StartsWith("/credit-notes/CN-", items[3].Link, StringComparison.Ordinal);
        Assert.Equal((4550L, $"Invoice {s.Acme} finalized"), (items[4].Amount, items[4].Words));
        Assert.True(queries <= 16, $"{queries} queries");
        Assert.Null(result.Value.Before);
    }

    [Fact]
    public async Task Pages_go_back_in_time_and_another_projects_customer_is_not_found()
    {
        var s = await CorrectionScenario.StartAsync();
        await using var harness = s.Harness;
        for (var i = 1; i <= 5; i++)
        {
            harness.Clock.Advance(TimeSpan.FromMinutes(1));
            await harness.ValueAsync<AddCustomerNote, AddCustomerNote.Request, CustomerNoteView>(new("cus_acme", $"Note {i}"));
        }

        var first = (await Timeline(harness, harness.Admin, "cus_acme", size: 3)).Value!;
        var second = (await Timeline(harness, harness.Admin, "cus_acme", first.Before, 3)).Value!;

        Assert.Equal(["Note: Note 5", "Note: Note 4", "Note: Note 3"], first.Items.Select(i => i.Words));
        Assert.Equal(["Note: Note 2", "Note: Note 1"], second.Items.Take(2).Select(i => i.Words));
        var customerId = await harness.QueryAsync(db => Task.FromResult(db.Customers.Single(c => c.ExternalId == "cus_acme").Id));
        var elsewhere = await Timeline(harness, await harness.AdminOfAnotherProjectAsync(), customerId.ToString());
        Assert.Equal(UseCaseStatus.NotFound, elsewhere.Status);
    }

    [Fact]
    public async Task Audit_items_of_the_customer_and_its_subscription_merge_newest_first_and_a_page_takes_the_newest_across_both()
    {
        // Starting the subscriptions audited "subscription.started"; the edits come after it, one for another customer in between.
        var (harness, _) = await BillingRunTests.StartWithSubscriptionsAsync();
        await using var _ = harness;
        foreach (var (customer, name) in new[] { ("cus_acme", "Acme 2"), ("cus_globex", "Globex 2"), ("cus_acme", "Acme 3") })
        {
            harness.Clock.Advance(TimeSpan.FromMinutes(1));
            Assert.True((await harness.RunAsync<UpdateCustomer, UpdateCustomer.Request, CustomerView>(harness.Admin,
                new(customer, new CustomerInput(name, null, "USD", "UTC", null)))).Succeeded);
        }

        var all = (await Timeline(harness, harness.Admin, "cus_acme")).Value!.Items.Select(i => i.Kind).ToList();
        var two = (await Timeline(harness, harness.Admin, "cus_acme", size: 2)).Value!.Items.Select(i => i.Kind);

        Assert.Equal([TimelineKind.CustomerEdited, TimelineKind.CustomerEdited, TimelineKind.Subscription], all.Where(k => k != TimelineKind.CustomerCreated));
        Assert.Equal([TimelineKind.CustomerEdited, TimelineKind.CustomerEdited], two);
    }
}
