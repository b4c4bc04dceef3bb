using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Neruba.Console.Components.Pages.Audit;
using Neruba.Console.Components.Pages.Disputes;
using Neruba.Console.Tests.Components;
using Neruba.Console.Tests.Support;
using Neruba.Domain.Access;
using Neruba.Infrastructure.Audit;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Credits;
using Neruba.Infrastructure.Payments;
using Neruba.Infrastructure.Payments.Disputes;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Console.Tests.Disputes;

/// <summary>One running app with the seeded disputes, a Finance member and a viewer.</summary>
public sealed class DisputesFixture : IAsyncLifetime
{
    public ConsoleAppFactory App { get; } = new();
    public ConsoleDisputeSeed Seed { get; private set; } = default!;
    public string FinanceId { get; private set; } = "";
    public string ViewerId { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Seed = await ConsoleDisputeSeed.SeedAsync(App);
        FinanceId = await App.CreateMemberAsync("finance@example.test", ProjectRole.Finance);
        ViewerId = await App.CreateMemberAsync("viewer@example.test", ProjectRole.Viewer);
    }

    public Task DisposeAsync()
    {
        App.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>The queue and the dispute page against a running app: order, overdue marks, filters, the evidence form and its one-submission warning.</summary>
public sealed class DisputePagesTests(DisputesFixture fixture) : MudTestContext, IClassFixture<DisputesFixture>, IDisposable
{
    private IServiceScope? _scope;
    private ComponentSignIn? _signIn;

    private IServiceScope AppScope => _scope ??= fixture.App.Services.CreateScope();

    void IDisposable.Dispose() => _scope?.Dispose();

    [Fact]
    public async Task The_queue_lists_the_soonest_due_first_marks_the_overdue_one_and_says_how_long_is_left()
    {
        await SignInAsync(fixture.ViewerId);

        var queue = RenderQueue("/disputes");

        queue.WaitForAssertion(() => Assert.Equal(3, queue.FindAll("[data-testid=dispute-link]").Count));
        Assert.Equal(["dp_overdue", "dp_review", "dp_soon"], queue.FindAll("[data-testid=dispute-link]").Select(a => a.TextContent.Trim()));
        var overdue = Assert.Single(queue.FindAll("[data-testid=dispute-overdue]"));
        Assert.Contains("dp_overdue", overdue.Closest("tr")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("2 d 4 h left", queue.Markup, StringComparison.Ordinal);
        Assert.Contains("overdue by 3 h", queue.Markup, StringComparison.Ordinal);
        Assert.Contains("Product not received", queue.Markup, StringComparison.Ordinal);
        Assert.Contains("INV-000077", queue.Markup, StringComparison.Ordinal);
        Assert.Contains("Acme Disputes", queue.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("dp_other", queue.Markup, StringComparison.Ordinal);
        Assert.Equal(StripeGateway.NotConfigured, queue.Find("[data-testid=stripe-not-configured]").TextContent.Trim());
    }

    [Theory]
    [InlineData("/disputes?status=won", "dp_won")]
    [InlineData("/disputes?status=all&reason=product_not_received", "dp_soon")]
    [InlineData("/disputes?status=under_review", "dp_review")]
    public async Task The_filters_narrow_the_queue(string address, string only)
    {
        await SignInAsync(fixture.ViewerId);

        var queue = RenderQueue(address);

        queue.WaitForAssertion(() => Assert.Equal([only], queue.FindAll("[data-testid=dispute-link]").Select(a => a.TextContent.Trim())));
    }

    [Fact]
    public async Task Finance_writes_evidence_that_is_saved_as_a_draft_and_submit_first_warns_that_Stripe_takes_one_submission()
    {
        await SignInAsync(fixture.FinanceId);
        var dialogs = Render<MudDialogProvider>();
        var page = RenderPage(fixture.Seed.Soon);
        page.WaitForAssertion(() => Assert.Contains("Product not received", page.Find("[data-testid=dispute-facts]").TextContent, StringComparison.Ordinal));
        Assert.Contains("INV-000077", page.Find("[data-testid=dispute-invoice]").TextContent, StringComparison.Ordinal);
        Assert.NotEmpty(page.FindAll("[data-testid=invoice-lines]"));

        page.Find("textarea[data-testid=evidence-product_description]").Input("Starter plan, 1,234 requests in September");
        page.WaitForAssertion(() => Assert.Contains("in Neruba only", page.Find("[data-testid=evidence-saved]").TextContent, StringComparison.Ordinal),
            TimeSpan.FromSeconds(10));
        Assert.Equal(StripeGateway.NotConfigured, page.Find("[data-testid=evidence-problem]").TextContent.Trim());
        Assert.Contains("1,234 requests", (await RecordAsync(fixture.Seed.Soon)).EvidenceDraft, StringComparison.Ordinal);

        page.Find("button[data-testid=evidence-submit]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Stripe accepts one submission per dispute", dialogs.Markup, StringComparison.Ordinal));
        dialogs.FindAll("button").Single(b => b.TextContent.Contains("Keep editing", StringComparison.Ordinal)).Click();
        dialogs.WaitForAssertion(() => Assert.DoesNotContain("Stripe accepts one submission", dialogs.Markup, StringComparison.Ordinal));
        Assert.Null((await RecordAsync(fixture.Seed.Soon)).SubmittedAt);

        page.Find("button[data-testid=accept-dispute]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Accepting loses 53.94 USD and Stripe's dispute fee for good",
            dialogs.Find("[data-testid=reason-dialog-message]").TextContent, StringComparison.Ordinal));
        dialogs.Find("[data-testid=reason-dialog-confirm]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("is required", dialogs.Markup, StringComparison.Ordinal));
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Cancel").Click();
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-testid=reason-dialog-message]")));
        Assert.Null((await RecordAsync(fixture.Seed.Soon)).AcceptedAt);
    }

    [Fact]
    public async Task A_submitted_dispute_says_why_its_evidence_is_closed_and_a_viewer_sees_no_actions()
    {
        await SignInAsync(fixture.FinanceId);
        var submitted = RenderPage(fixture.Seed.Review);
        submitted.WaitForAssertion(() => Assert.Contains("Stripe accepts one submission", submitted.Find("[data-testid=evidence-refusal]").TextContent,
            StringComparison.Ordinal));
        Assert.Empty(submitted.FindAll("[data-testid=evidence-submit]"));
        Assert.Empty(submitted.FindAll("[data-testid=accept-dispute]"));

        await SignInAsync(fixture.ViewerId);
        var viewer = RenderPage(fixture.Seed.Overdue);
        viewer.WaitForAssertion(() => Assert.Single(viewer.FindAll("[data-testid=dispute-overdue]")));
        Assert.Empty(viewer.FindAll("[data-testid=evidence-submit]"));
        Assert.Empty(viewer.FindAll("[data-testid=accept-dispute]"));
        Assert.Empty(viewer.FindAll("[data-testid=note-add]"));
        Assert.True(viewer.Find("textarea[data-testid=evidence-product_description]").HasAttribute("readonly"));

        var elsewhere = RenderPage(fixture.Seed.Other);
        elsewhere.WaitForAssertion(() => Assert.Equal("No such dispute in this project.", elsewhere.Find("[data-testid=dispute-error]").TextContent.Trim()));
    }

    [Fact]
    public async Task The_invoice_page_links_to_the_disputes_of_its_payments()
    {
        await SignInAsync(fixture.ViewerId);

        var panel = Render<InvoiceDisputes>(p => p.Add(x => x.InvoiceId, fixture.Seed.Invoice.Id).AddCascadingValue(_signIn!.Access));

        panel.WaitForAssertion(() => Assert.Equal(4, panel.FindAll("[data-testid=invoice-dispute-link]").Count));
        Assert.Equal($"/disputes/{fixture.Seed.Overdue}", panel.FindAll("[data-testid=invoice-dispute-link]")[0].GetAttribute("href"));
        Assert.DoesNotContain("dp_other", panel.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_audit_record_of_a_dispute_opens_its_page_by_Stripe_id()
    {
        await SignInAsync(fixture.ViewerId);
        var row = new AuditRow(Guid.NewGuid(), DateTimeOffset.UnixEpoch, Domain.Audit.ActorKind.User, "a", "dispute.note_added", Domain.Audit.AuditOutcome.Succeeded,
            "dispute", "dp_overdue", null, null, null, "c");

        Assert.Equal("/disputes/stripe/dp_overdue", AuditTargetLinks.Href(row));
        var page = Render<DisputePage>(p => p.Add(x => x.StripeId, "dp_overdue").AddCascadingValue(_signIn!.Access));
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=dispute-overdue]")));
        var elsewhere = Render<DisputePage>(p => p.Add(x => x.StripeId, "dp_other").AddCascadingValue(_signIn!.Access));
        elsewhere.WaitForAssertion(() => Assert.Single(elsewhere.FindAll("[data-testid=dispute-error]")));
    }

    private Task<DisputeRecord> RecordAsync(Guid id) =>
        AppScope.ServiceProvider.GetRequiredService<NerubaDbContext>().Disputes.AsNoTracking().SingleAsync(d => d.Id == id);

    private IRenderedComponent<DisputeQueue> RenderQueue(string address)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo(address);
        return Render<DisputeQueue>(p => p.AddCascadingValue(_signIn!.Access));
    }

    private IRenderedComponent<DisputePage> RenderPage(Guid id) => Render<DisputePage>(p => p.Add(x => x.Id, id).AddCascadingValue(_signIn!.Access));

    private async Task SignInAsync(string userId)
    {
        _signIn ??= new ComponentSignIn(this, fixture.App, () => AppScope.ServiceProvider, typeof(GetStripeConfigured), typeof(ListDisputes), typeof(GetDispute),
            typeof(GetInvoice), typeof(GetCustomerBalance), typeof(SaveDisputeEvidence), typeof(SubmitDisputeEvidence), typeof(UploadDisputeFile),
            typeof(AcceptDispute), typeof(DecideDisputeAccept), typeof(AddDisputeNote));
        await _signIn.AsAsync(userId);
    }
}
