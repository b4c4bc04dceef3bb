using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Neruba.Console.Access;
using Neruba.Console.Components.Pages.Invoices;
using Neruba.Console.Components.Pages.Payments;
using Neruba.Console.Components.Shared.Display;
using Neruba.Console.Tests.Api;
using Neruba.Console.Tests.Support;
using Neruba.Domain.Access;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Access;
using Neruba.Infrastructure.Billing.Corrections;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Payments;
using Neruba.Infrastructure.Payments.Collection;
using Neruba.Infrastructure.Payments.Refunds;
using Neruba.Infrastructure.Payments.Webhooks;
using Neruba.Infrastructure.Persistence;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Console.Tests.Components.Payments;

/// <summary>One running app, seeded once with Stripe payments, a failed refund, failed and scheduled collections and a failed webhook event.</summary>
public sealed class PaymentsFixture : IAsyncLifetime
{
    public ConsoleAppFactory App { get; } = new();
    public InvoiceRecord Invoice { get; private set; } = default!;
    public Guid RefundId { get; } = Guid.NewGuid();
    public Guid EventId { get; } = Guid.NewGuid();
    public string FinanceId { get; private set; } = "";
    public string ViewerId { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Invoice = await CorrectionsApiTests.FinalizedInvoiceAsync(App);
        FinanceId = await App.CreateMemberAsync("finance@example.test", ProjectRole.Finance);
        ViewerId = await App.CreateMemberAsync("viewer@example.test", ProjectRole.Viewer);
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NerubaDbContext>();
        var now = DateTimeOffset.UtcNow;
        var (project, customer, invoice) = (Invoice.ProjectId, Invoice.CustomerId, Invoice.Id);
        var paymentId = Guid.NewGuid();
        var noteId = Guid.NewGuid();
        db.Payments.Add(new PaymentRecord
        {
            Id = paymentId, ProjectId = project, CustomerId = customer, InvoiceId = invoice, Method = PaymentMethod.Stripe, Currency = "USD", Amount = 1234,
            ReceivedOn = DateOnly.FromDateTime(now.UtcDateTime), Reference = "pi_paid_1", StripeChargeId = "ch_paid_1", RecordedById = "stripe",
            RecordedByName = "Stripe", RecordedAt = now, EntryId = Guid.NewGuid(),
        });
        db.CreditNotes.Add(new CreditNoteRecord
        {
            Id = noteId, ProjectId = project, CustomerId = customer, InvoiceId = invoice, Sequence = 901, IssueKey = "test-901", Currency = "USD", Total = 500,
            Refunded = 500, ReasonCode = "billing_error", IssuedAt = now, IssuedById = "x", IssuedByName = "finance@example.test", EntryId = Guid.NewGuid(),
        });
        db.StripeRefunds.Add(new StripeRefundRecord
        {
            Id = RefundId, ProjectId = project, CustomerId = customer, InvoiceId = invoice, CreditNoteId = noteId, PaymentId = paymentId,
            PaymentIntentId = "pi_paid_1", Currency = "USD", Amount = 500, Status = RefundStatus.Failed, FailureReason = "The charge was disputed.",
            CreatedAt = now, UpdatedAt = now,
        });
        db.CollectionAttempts.AddRange(
            new CollectionAttemptRecord
            {
                Id = Guid.NewGuid(), ProjectId = project, InvoiceId = invoice, CustomerId = customer, Number = 1, Trigger = CollectionTrigger.Manual,
                Status = CollectionStatus.Failed, Currency = "USD", Amount = Invoice.AmountDue, IdempotencyKey = "collect-1", PaymentIntentId = "pi_failed_1",
                FailureCode = "card_declined", CreatedAt = now.AddMinutes(-5), CompletedAt = now.AddMinutes(-4), RequestedByName = "finance@example.test",
            },
            new CollectionAttemptRecord
            {
                Id = Guid.NewGuid(), ProjectId = project, InvoiceId = invoice, CustomerId = customer, Number = 2, Trigger = CollectionTrigger.Retry,
                Status = CollectionStatus.Scheduled, Currency = "USD", Amount = Invoice.AmountDue, IdempotencyKey = "collect-2", CreatedAt = now,
                ScheduledFor = new DateTimeOffset(2099, 1, 2, 3, 4, 0, TimeSpan.Zero),
            });
        db.StripeEvents.Add(new StripeEventRecord
        {
            Id = EventId, ProjectId = project, StripeEventId = "evt_failed_1", Type = "payment_intent.succeeded", ApiVersion = "2020-08-27",
            ObjectId = "pi_paid_1", StripeCreatedAt = now, ReceivedAt = now, Payload = """{"id":"evt_failed_1","object":"event","data":{"object":{"id":"pi_paid_1"}}}""",
            Status = StripeEventStatus.Failed, Attempts = 3, Deliveries = 2, LastError = "The invoice was not found.",
        });
        await db.SaveChangesAsync();
    }

    public Task DisposeAsync()
    {
        App.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>The Payments area and the invoice's payments panel against a running app: the rows in words, actions only for Finance.</summary>
public sealed class PaymentsPageTests(PaymentsFixture fixture) : AppSessionTestContext(fixture.App), IClassFixture<PaymentsFixture>
{
    private static readonly Type[] UseCases =
    [
        typeof(GetStripeConfigured), typeof(ListStripePayments), typeof(ListStripeRefunds), typeof(ListCollectionFailures), typeof(ListStripeEvents),
        typeof(GetStripeEvent), typeof(RetryStripeEvent), typeof(RetryStripeRefund), typeof(SettleRefundOutsideStripe), typeof(GetInvoicePayments), typeof(CollectInvoice),
    ];

    [Fact]
    public async Task Each_tab_shows_its_rows_in_words_and_says_stripe_is_not_configured()
    {
        await SignInAsync(fixture.FinanceId, UseCases);

        var payments = RenderTab(0);
        payments.WaitForAssertion(() => Assert.Contains("pi_paid_1", payments.Find("[data-testid=stripe-payment-table]").TextContent, StringComparison.Ordinal));
        Assert.Equal(StripeGateway.NotConfigured, payments.Find("[data-testid=stripe-not-configured]").TextContent.Trim());
        Assert.Contains("ch_paid_1", payments.Markup, StringComparison.Ordinal);
        Assert.Contains("12.34 USD", payments.Markup, StringComparison.Ordinal);

        var refunds = RenderTab(1);
        refunds.WaitForAssertion(() => Assert.Equal("Failed", refunds.Find("[data-testid=refund-status]").TextContent.Trim()));
        Assert.Equal("The charge was disputed.", refunds.Find("[data-testid=refund-failure]").TextContent.Trim());
        Assert.Contains("CN-000901", refunds.Markup, StringComparison.Ordinal);
        Assert.Single(refunds.FindAll("[data-testid=refund-retry]"));
        var session = Services.GetRequiredService<ConsoleSession>();
        var list = AppScope.ServiceProvider.GetRequiredService<ListStripeRefunds>();
        Assert.Equal(1, (await session.RunAsync(list, new ListStripeRefunds.Request(RefundStatus.Failed, 0, 10))).Value!.Total);
        Assert.Equal(0, (await session.RunAsync(list, new ListStripeRefunds.Request(RefundStatus.Succeeded, 0, 10))).Value!.Total);

        var failures = RenderTab(2);
        failures.WaitForAssertion(() => Assert.Equal("The card was declined.", failures.Find("[data-testid=failure-reason]").TextContent.Trim()));
        Assert.Contains("2099-01-02 03:04", failures.Find("[data-testid=failure-next]").TextContent, StringComparison.Ordinal);

        var webhooks = RenderTab(3);
        webhooks.WaitForAssertion(() => Assert.Equal("Failed", webhooks.Find("[data-testid=event-status]").TextContent.Trim()));
        Assert.Equal("The invoice was not found.", webhooks.Find("[data-testid=event-outcome]").TextContent.Trim());
        Assert.Equal("API version differs", webhooks.Find("[data-testid=event-api-version]").TextContent.Trim());
        Assert.Contains("evt_failed_1", webhooks.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_event_page_shows_the_payload_and_offers_process_again_to_finance_only()
    {
        await SignInAsync(fixture.FinanceId, UseCases);
        var finance = RenderWithAccess<StripeEventPage>(p => p.Add(x => x.Id, fixture.EventId));
        finance.WaitForAssertion(() => Assert.Single(finance.FindAll("[data-testid=event-retry]")));
        Assert.Contains("\"object\": {", finance.Find("[data-testid=event-payload]").TextContent, StringComparison.Ordinal);

        await SignInAsync(fixture.ViewerId, UseCases);
        var viewer = RenderWithAccess<StripeEventPage>(p => p.Add(x => x.Id, fixture.EventId));
        viewer.WaitForAssertion(() => Assert.Contains("evt_failed_1", viewer.Markup, StringComparison.Ordinal));
        Assert.Empty(viewer.FindAll("[data-testid=event-retry]"));
    }

    [Fact]
    public async Task The_invoice_panel_shows_the_attempts_and_a_disabled_collect_with_the_reason()
    {
        await SignInAsync(fixture.FinanceId, UseCases);

        var panel = RenderPanel();

        panel.WaitForAssertion(() => Assert.Equal(2, panel.FindAll("[data-testid=collection-attempt]").Count));
        var attempts = panel.Find("[data-testid=collection-attempts]").TextContent;
        Assert.Contains("The card was declined.", attempts, StringComparison.Ordinal);
        Assert.Contains("retry scheduled for 2099-01-02 03:04 UTC", attempts, StringComparison.Ordinal);
        Assert.True(panel.Find("button[data-testid=action-collect]").HasAttribute("disabled"));
        Assert.Equal(StripeGateway.NotConfigured, panel.Find("[data-testid=collect-refusal]").TextContent.Trim());
        Assert.Single(panel.FindAll("[data-testid=refund-retry]"));
    }

    [Fact]
    public async Task A_viewer_sees_no_money_actions_and_is_refused_when_calling_them()
    {
        await SignInAsync(fixture.ViewerId, UseCases);

        var panel = RenderPanel();
        panel.WaitForAssertion(() => Assert.Equal(2, panel.FindAll("[data-testid=collection-attempt]").Count));
        Assert.Empty(panel.FindAll("[data-testid=action-collect]"));
        Assert.Empty(panel.FindAll("[data-testid=refund-retry]"));
        var refunds = RenderTab(1);
        refunds.WaitForAssertion(() => Assert.Single(refunds.FindAll("[data-testid=refund-status]")));
        Assert.Empty(refunds.FindAll("[data-testid=refund-retry]"));
        Assert.Empty(refunds.FindAll("[data-testid=refund-outside]"));

        var session = Services.GetRequiredService<ConsoleSession>();
        var app = AppScope.ServiceProvider;
        Assert.Equal(UseCaseStatus.Forbidden, (await session.RunAsync(app.GetRequiredService<RetryStripeRefund>(), new(fixture.RefundId))).Status);
        Assert.Equal(UseCaseStatus.Forbidden, (await session.RunAsync(app.GetRequiredService<RetryStripeEvent>(), new(fixture.EventId))).Status);
        Assert.Equal(UseCaseStatus.Forbidden,
            (await session.RunAsync(app.GetRequiredService<SettleRefundOutsideStripe>(), new(fixture.RefundId, "BANK-1"))).Status);
        Assert.Equal(UseCaseStatus.Forbidden, (await session.RunAsync(app.GetRequiredService<CollectInvoice>(), new(fixture.Invoice.Id.ToString()))).Status);
        await using var scope = fixture.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NerubaDbContext>();
        Assert.Equal(RefundStatus.Failed, (await db.StripeRefunds.AsNoTracking().SingleAsync(r => r.Id == fixture.RefundId)).Status);
    }

    [Fact]
    public void Purchased_and_overpaid_credit_and_payment_states_read_in_words()
    {
        Assert.Equal("Credit pack purchase", Labels.Of(CreditSource.Purchase));
        Assert.Equal("Overpayment", Labels.Of(CreditSource.Overpayment));
        Assert.Equal("Awaiting payment", Labels.Of(CheckoutStatus.AwaitingPayment));
        Assert.Equal(StatusTone.Failed, StatusTones.Of(StripeEventStatus.Failed));
        Assert.Equal(StatusTone.Waiting, StatusTones.Of(CollectionStatus.Scheduled));
    }

    private IRenderedComponent<PaymentsPage> RenderTab(int tab)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo($"/payments?tab={tab}");
        return RenderWithAccess<PaymentsPage>(_ => { });
    }

    private IRenderedComponent<InvoicePaymentsPanel> RenderPanel()
    {
        return RenderWithAccess<InvoicePaymentsPanel>(p => p.Add(x => x.Invoice, fixture.Invoice.Id.ToString()).Add(x => x.Number, fixture.Invoice.Number)
            .Add(x => x.AmountDue, fixture.Invoice.AmountDue).Add(x => x.Currency, "USD"));
    }
}
