using Bunit;
using Neruba.Console.Components.Pages.Billing;
using Neruba.Console.Components.Pages.Invoices;
using Neruba.Domain.Billing;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Billing.Runs;
using Neruba.Infrastructure.UseCases;

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

    [Fact]
    public void A_rerun_shows_the_figures_of_the_whole_run_and_pages_its_differences_with_a_link_to_each_comparison()
    {
        var runId = Guid.NewGuid();
        var changed = new RerunComparison(Guid.NewGuid(), "Acme", "cus_acme", Guid.NewGuid(), "INV-000042", "USD", 4400, 4450);
        var requests = new List<ListRerunComparisons.Request>();
        Task<UseCaseResult<PageOf<RerunComparison>>> Load(ListRerunComparisons.Request request, CancellationToken _)
        {
            requests.Add(request);
            IReadOnlyList<RerunComparison> items = request.OnlyDifferences ? [changed] : [changed, changed with { ExternalId = "cus_same", RecomputedCharges = changed.BilledCharges }];
            return Task.FromResult(UseCaseResult<PageOf<RerunComparison>>.Ok(new(items, request.OnlyDifferences ? 180 : 10_000, request.Page, request.PageSize)));
        }

        Render<MudBlazor.MudPopoverProvider>(); // the pager's page-size menu needs one
        var table = Render<RerunComparisonTable>(p => p
            .Add(c => c.RunId, runId)
            .Add(c => c.Summary, new RerunSummary(10_000, 180, [new RerunNet("EUR", -100), new RerunNet("USD", 1234)]))
            .Add(c => c.Load, Load));

        Assert.Equal("180 of 10,000 recomputed invoices differ (net -1.00 EUR, +12.34 USD).", table.Find("[data-testid=rerun-summary]").TextContent.Trim());
        table.WaitForAssertion(() => Assert.Single(table.FindAll("[data-testid=rerun-comparisons] tbody tr")));
        Assert.Contains("+0.50 USD", table.Find("[data-testid=rerun-comparisons] tbody tr").TextContent, StringComparison.Ordinal);
        Assert.Equal($"/billing-runs/{runId}/compare?subscription={changed.SubscriptionId}", table.Find("[data-testid=rerun-compare-link]").GetAttribute("href"));
        Assert.Equal(new ListRerunComparisons.Request(runId, OnlyDifferences: true, Page: 0, PageSize: 25), requests[^1]);

        table.Find("input[data-testid=rerun-only-differences]").Change(false);

        table.WaitForAssertion(() => Assert.Equal(2, table.FindAll("[data-testid=rerun-comparisons] tbody tr").Count));
        Assert.False(requests[^1].OnlyDifferences);
        Assert.Contains("no change", table.FindAll("[data-testid=rerun-comparisons] tbody tr")[1].TextContent, StringComparison.Ordinal);
    }
}
