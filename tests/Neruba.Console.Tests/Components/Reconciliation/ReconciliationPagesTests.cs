using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Neruba.Console.Access;
using Neruba.Console.Components.Pages.Reconciliation;
using Neruba.Console.Tests.Support;
using Neruba.Domain.Access;
using Neruba.Infrastructure.Payments;
using Neruba.Infrastructure.Payments.Reconciliation;
using Neruba.Infrastructure.Persistence;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Console.Tests.Components.Reconciliation;

/// <summary>One running app with a finished run (a category summary) and two open mismatches: a fee difference and an outside payment.</summary>
public sealed class ReconciliationFixture : IAsyncLifetime
{
    public ConsoleAppFactory App { get; } = new();
    public Guid RunId { get; } = Guid.NewGuid();
    public Guid FeeMismatchId { get; } = Guid.NewGuid();
    public Guid OutsideMismatchId { get; } = Guid.NewGuid();
    public string FinanceId { get; private set; } = "";
    public string ViewerId { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var project = await App.DemoProjectIdAsync();
        FinanceId = await App.CreateMemberAsync("finance@example.test", ProjectRole.Finance);
        ViewerId = await App.CreateMemberAsync("viewer@example.test", ProjectRole.Viewer);
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NerubaDbContext>();
        var at = new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);
        db.ReconciliationRuns.Add(new ReconciliationRunRecord
        {
            Id = RunId, ProjectId = project, WindowStart = at, WindowEnd = at.AddDays(1), Trigger = ReconciliationTrigger.Manual,
            Status = ReconciliationRunStatus.Succeeded, RequestedByName = "finance@example.test", CreatedAt = at.AddDays(1), FinishedAt = at.AddDays(1),
            PagesRead = 1, TransactionsSeen = 3, Matched = 1, MismatchesOpened = 2,
            CategorySummary = CategoryTotal.Serialize([new CategoryTotal("charge", "USD", 3, 12_000, 380, 11_620)]),
        });
        db.ReconciliationMismatches.AddRange(
            Mismatch(FeeMismatchId, project, MismatchKind.FeeNotRecorded, "ch_fee_1", at, 4_550, 4_550, 187, 162),
            Mismatch(OutsideMismatchId, project, MismatchKind.MissingInLedger, "ch_outside_1", at, 4_400, null, 158, null));
        await db.SaveChangesAsync();
    }

    private ReconciliationMismatchRecord Mismatch(Guid id, Guid project, MismatchKind kind, string source, DateTimeOffset at, long stripe, long? ledger,
        long fee, long? ledgerFee) => new()
        {
            Id = id, ProjectId = project, Kind = kind, SourceId = source, BalanceTransactionId = "txn_" + source, ReportingCategory = "charge", Currency = "USD",
            StripeAmount = stripe, LedgerAmount = ledger, StripeFee = fee, LedgerFee = ledgerFee, OccurredAt = at, StripeSide = $"Charge {source} in Stripe",
            LedgerSide = ledger is null ? "The ledger has no entry on Stripe clearing for this." : "On Stripe clearing: 45.50 USD", SuggestedAction = "Do it",
            OpenKey = ReconciliationMismatchRecord.OpenKeyFor(kind, source), FirstRunId = RunId, LastRunId = RunId, FirstSeenAt = at, LastSeenAt = at,
        };

    public Task DisposeAsync()
    {
        App.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>The reconciliation pages against a running app: runs, the category summary, the queue and a mismatch's two sides and resolutions.</summary>
public sealed class ReconciliationPagesTests(ReconciliationFixture fixture) : AppSessionTestContext(fixture.App), IClassFixture<ReconciliationFixture>
{
    private static readonly Type[] UseCases =
    [
        typeof(GetStripeConfigured), typeof(ListReconciliationRuns), typeof(GetReconciliationRun), typeof(ListMismatches), typeof(GetMismatch),
        typeof(StartReconciliation), typeof(PostMismatchEntry), typeof(ReprocessMismatch), typeof(ExplainMismatch),
    ];

    [Fact]
    public async Task The_area_lists_runs_and_the_open_queue_and_says_stripe_is_not_configured()
    {
        await SignInAsync(fixture.FinanceId, UseCases);
        var page = RenderWithAccess<ReconciliationPage>(_ => { });

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=mismatch-kind]").Count));
        Assert.Equal(StripeGateway.NotConfigured, page.Find("[data-testid=stripe-not-configured]").TextContent.Trim());
        Assert.Empty(page.FindAll("[data-testid=reconcile-start]"));
        var runs = page.Find("[data-testid=reconciliation-runs]").TextContent;
        Assert.Contains("2026-11-24 00:00 – 2026-11-25 00:00 UTC", runs, StringComparison.Ordinal);
        Assert.Contains("2 new mismatches", runs, StringComparison.Ordinal);
        var queue = page.Find("[data-testid=mismatch-table]").TextContent;
        Assert.Contains("Fee not recorded", queue, StringComparison.Ordinal);
        Assert.Contains("In Stripe, not in the ledger", queue, StringComparison.Ordinal);
        Assert.Contains("1.87 USD", queue, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_run_page_shows_progress_the_category_summary_and_its_mismatches()
    {
        await SignInAsync(fixture.ViewerId, UseCases);
        var page = RenderWithAccess<ReconciliationRunPage>(p => p.Add(x => x.Id, fixture.RunId));

        page.WaitForAssertion(() => Assert.Equal("Succeeded", page.Find("[data-testid=run-status]").TextContent.Trim()));
        Assert.Equal("3 transactions on 1 page, 1 matched", page.Find("[data-testid=run-progress]").TextContent.Trim());
        var categories = page.Find("[data-testid=run-categories]").TextContent;
        Assert.Contains("charge", categories, StringComparison.Ordinal);
        Assert.Contains("116.20 USD", categories, StringComparison.Ordinal);
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=mismatch-kind]").Count));
    }

    [Fact]
    public async Task Finance_opens_a_mismatch_sees_both_sides_and_marks_it_explained_while_a_viewer_gets_no_actions()
    {
        await SignInAsync(fixture.ViewerId, UseCases);
        var viewerDialog = await OpenDialogAsync(fixture.OutsideMismatchId);
        viewerDialog.WaitForAssertion(() => Assert.Contains("Charge ch_outside_1 in Stripe", viewerDialog.Find("[data-testid=mismatch-stripe-side]").TextContent,
            StringComparison.Ordinal));
        Assert.Contains("no entry", viewerDialog.Find("[data-testid=mismatch-ledger-side]").TextContent, StringComparison.Ordinal);
        Assert.Empty(viewerDialog.FindAll("[data-testid=mismatch-explain]"));
        var session = Services.GetRequiredService<ConsoleSession>();
        var explain = AppScope.ServiceProvider.GetRequiredService<ExplainMismatch>();
        Assert.Equal(UseCaseStatus.Forbidden, (await session.RunAsync(explain, new ExplainMismatch.Request(fixture.OutsideMismatchId, "no"))).Status);

        await SignInAsync(fixture.FinanceId, UseCases);
        var dialog = await OpenDialogAsync(fixture.OutsideMismatchId);
        dialog.WaitForAssertion(() => Assert.Single(dialog.FindAll("[data-testid=mismatch-post]")));
        Assert.Single(dialog.FindAll("[data-testid=mismatch-reprocess]"));
        dialog.Find("[data-testid=mismatch-explain]").Click();
        dialog.WaitForAssertion(() => Assert.Single(dialog.FindAll("[data-testid=reason-dialog-text]")));
        dialog.Find("[data-testid=reason-dialog-text]").Change("A test payment made by the owner");
        dialog.Find("[data-testid=reason-dialog-confirm]").Click();

        dialog.WaitForAssertion(() => Assert.Contains("A test payment made by the owner", dialog.Find("[data-testid=mismatch-resolution]").TextContent,
            StringComparison.Ordinal));
        await using var scope = fixture.App.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<NerubaDbContext>().ReconciliationMismatches.AsNoTracking()
            .SingleAsync(m => m.Id == fixture.OutsideMismatchId);
        Assert.Equal((MismatchStatus.Explained, null), (stored.Status, stored.OpenKey));
    }

    private async Task<IRenderedComponent<MudDialogProvider>> OpenDialogAsync(Guid mismatchId)
    {
        // As in the app: the dialog provider sits outside the layout's cascading access, so the table hands the access to the dialog.
        var provider = Render<MudDialogProvider>();
        var view = (await Services.GetRequiredService<ConsoleSession>().RunAsync(AppScope.ServiceProvider.GetRequiredService<GetMismatch>(),
            new GetMismatch.Request(mismatchId))).Value!;
        var dialogs = Services.GetRequiredService<IDialogService>();
        await provider.InvokeAsync(() => dialogs.ShowAsync<MismatchDialog>("Mismatch", new DialogParameters<MismatchDialog> { { d => d.Mismatch, view }, { d => d.Access, Access } }));
        return provider;
    }
}
