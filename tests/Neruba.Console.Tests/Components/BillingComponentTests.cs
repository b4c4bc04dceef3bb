using Bunit;
using Neruba.Console.Components.Pages.Billing;
using Neruba.Console.Components.Pages.Invoices;
using Neruba.Domain.Billing;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Billing.Runs;

namespace Neruba.Console.Tests.Components;

public class BillingComponentTests : MudTestContext
{
    private static readonly Guid Version = Guid.Parse("00000000-0000-4000-8000-000000000001");

    [Fact]
    public void Invoice_lines_show_how_each_amount_was_computed_and_where_it_came_from()
    {
        var month = new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);
        var draft = Rater.Rate(new RatingInput(Guid.NewGuid(), Guid.NewGuid(), month, month,
            [new SubscriptionPhase(new PlanVersionSnapshot(Version, "pro", "Pro", 3, new PlanTerms("EUR", BillingInterval.Monthly, 2800, FeeTiming.InArrears,
                [new UsageCharge("calls", ChargeModel.PerUnit, 0.01m, [], 0, 100)], 0, 0)), month.AddDays(14), null)],
            [new PhaseUsage(month.AddDays(14), "calls", 350)], null, []));

        var table = Render<InvoiceLinesTable>(p => p
            .Add(c => c.Draft, draft)
            .Add(c => c.CustomerExternalId, "cus 1")
            .Add(c => c.PlanVersions, new Dictionary<Guid, PlanVersionRef> { [Version] = new(Version, "pro", "Pro", 3) }));

        // 28.00 x 14/28 days = 14.00; allowance 100 x 14/28 = 50; (350 - 50) x 0.01 = 3.00.
        var explanations = table.FindAll("[data-testid=invoice-line-explanation]").Select(e => e.TextContent).ToList();
        Assert.Equal(["28.00 EUR x 14/28 days of 2026-02 = 14.00 EUR", "allowance 100 x 14/28 days = 50; 350 used - 50 included = 300 billable; 300 x 0.01 EUR = 3.00 EUR"], explanations);
        Assert.Equal("17.00 EUR", table.Find("[data-testid=invoice-amount-due]").TextContent.Trim());
        Assert.Equal("/usage?customer=cus%201&metric=calls", table.Find("[data-testid=invoice-line-usage]").GetAttribute("href"));
        Assert.Contains("Pro v3", table.Markup, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(BillingRunStatus.Running, 10, 4, 1, "5 of 10 customers, 1 failed")]
    [InlineData(BillingRunStatus.Running, 0, 0, 0, "listing subscriptions…")]
    [InlineData(BillingRunStatus.Succeeded, 3, 3, 0, "3 of 3 customers")]
    public void Run_progress_counts_customers_done_and_failed(BillingRunStatus status, int total, int done, int failed, string expected)
    {
        var run = new BillingRunView(Guid.NewGuid(), DateTimeOffset.UnixEpoch, null, "All customers", BillingRunKind.Manual, status, "op", DateTimeOffset.UnixEpoch,
            null, null, total, done, failed, null);

        var progress = Render<BillingRunProgress>(p => p.Add(c => c.Run, run));

        Assert.Equal(expected, progress.Find("[data-testid=run-progress-text]").TextContent.Trim());
    }
}
