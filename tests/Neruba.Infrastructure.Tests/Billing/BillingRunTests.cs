using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Neruba.Domain.Billing;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Billing.Plans;
using Neruba.Infrastructure.Billing.Runs;
using Neruba.Infrastructure.Billing.Subscriptions;
using Neruba.Infrastructure.Ledger;
using Neruba.Infrastructure.Metering;
using Neruba.Infrastructure.Tests.Metering;
using Neruba.Infrastructure.Tests.Support;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Tests.Billing;

/// <summary>Billing runs against a real SQLite file: invoices, ledger entries, idempotency and resumption.</summary>
public class BillingRunTests
{
    /// <summary>
    /// Pro: 49.00 a month in arrears, api_calls at 0.01 after 100 included, 5.00 of plan credit a month.
    /// cus_acme and cus_globex subscribe from the first day of last month.
    /// </summary>
    internal static async Task<(UseCaseHarness Harness, DateTimeOffset LastMonth)> StartWithSubscriptionsAsync()
    {
        var harness = await IngestStoreTests.StartWithMetricAsync();
        var plan = await harness.RunAsync<SavePlan, SavePlan.Request, PlanView>(harness.Admin, new("pro", "Pro", "USD", BillingInterval.Monthly, "49.00",
            FeeTiming.InArrears, [new UsageCharge("api_calls", ChargeModel.PerUnit, 0.01m, [], 0, 100)], null, "5.00"));
        Assert.True(plan.Succeeded, plan.Message);
        var lastMonth = BillingCalendar.MonthStartOf(harness.Clock.GetUtcNow()).AddMonths(-1);
        foreach (var customer in new[] { "cus_acme", "cus_globex" })
        {
            var started = await harness.RunAsync<StartSubscription, StartSubscription.Request, SubscriptionView>(harness.Admin,
                new(customer, "pro", DateOnly.FromDateTime(lastMonth.UtcDateTime), null));
            Assert.True(started.Succeeded, started.Message);
        }

        return (harness, lastMonth);
    }

    internal static async Task<BillingRunView> TriggerAsync(UseCaseHarness harness, DateTimeOffset month, bool dryRun = false, string? customer = null)
    {
        var run = await harness.RunAsync<TriggerBillingRun, TriggerBillingRun.Request, BillingRunView>(harness.Admin,
            new(DateOnly.FromDateTime(month.UtcDateTime), customer, dryRun));
        Assert.True(run.Succeeded, run.Message);
        return run.Value!;
    }

    internal static Task RunJobAsync(UseCaseHarness harness, Guid runId, CancellationToken cancellationToken = default) =>
        harness.Services.GetRequiredService<BillingRunJob>().RunAsync(runId, cancellationToken);

    /// <summary>Reruns a finalized month (a preview) to the end.</summary>
    internal static async Task<BillingRunView> RerunAsync(UseCaseHarness harness, DateTimeOffset month)
    {
        var rerun = await harness.RunAsync<TriggerBillingRun, TriggerBillingRun.Request, BillingRunView>(harness.Admin,
            new(DateOnly.FromDateTime(month.UtcDateTime), null, false, Rerun: true));
        Assert.True(rerun.Succeeded, rerun.Message);
        await RunJobAsync(harness, rerun.Value!.Id);
        return rerun.Value;
    }

    [Fact]
    public async Task A_run_finalizes_one_explained_invoice_per_subscription_and_posts_it_to_the_ledger()
    {
        var (harness, lastMonth) = await StartWithSubscriptionsAsync();
        await using var _ = harness;
        var at = lastMonth.AddDays(3).ToString("O");
        await IngestStoreTests.IngestAsync(harness, [.. Enumerable.Range(1, 250).Select(i => new IncomingEvent($"c{i}", "cus_acme", "api_calls", at, null))]);

        var run = await TriggerAsync(harness, lastMonth);
        await RunJobAsync(harness, run.Id);

        var details = await harness.RunAsync<GetBillingRun, GetBillingRun.Request, BillingRunDetails>(harness.Admin, new(run.Id));
        Assert.Equal((BillingRunStatus.Succeeded, 2, 2, 0), (details.Value!.Run.Status, details.Value.Run.Total, details.Value.Run.Done, details.Value.Run.Failed));

        // Acme: 49.00 base + (250 - 100) x 0.01 = 1.50 usage = 50.50; 5.00 plan credit applied; 45.50 due.
        var invoice = (await harness.RunAsync<GetInvoice, GetInvoice.Request, InvoiceDetails>(harness.Admin,
            new((await InvoiceOfAsync(harness, "cus_acme")).ToString()))).Value!;
        Assert.Equal((5050L, 500L, 4550L), (invoice.Summary.Subtotal, invoice.Summary.CreditsApplied, invoice.Summary.AmountDue));
        Assert.Equal(["Base fee, Pro v1, " + lastMonth.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture) + " (in arrears)", "api_calls, Pro v1"],
            invoice.Draft.Lines.Select(l => l.Description));
        Assert.Equal("250 used - 100 included = 150 billable; 150 x 0.01 USD = 1.50 USD", invoice.Draft.Lines[1].Explanation);
        Assert.Matches("^INV-00000[12]$", invoice.Summary.Number);

        // The receivable holds what is due; revenue the subtotal; next month's plan credit is granted.
        var customerId = invoice.Summary.CustomerId;
        var receivable = await BalanceAsync(harness, LedgerAccount.CodeFor(AccountKind.CustomerReceivable, "USD", customerId));
        var revenue = await BalanceAsync(harness, LedgerAccount.CodeFor(AccountKind.Revenue, "USD", null));
        Assert.Equal(4550, receivable);
        Assert.Equal(-(5050 + 4900), revenue);
        var nextKey = SubscriptionLedger.PlanCreditKey(invoice.SubscriptionId, lastMonth.AddMonths(1));
        Assert.True(await harness.QueryAsync(db => db.JournalEntries.AnyAsync(e => e.IdempotencyKey == nextKey)));
    }

    [Fact]
    public async Task Running_again_or_a_second_run_for_the_period_never_makes_a_second_invoice()
    {
        var (harness, lastMonth) = await StartWithSubscriptionsAsync();
        await using var _ = harness;
        var first = await TriggerAsync(harness, lastMonth);
        await RunJobAsync(harness, first.Id);
        await RunJobAsync(harness, first.Id);
        var second = await TriggerAsync(harness, lastMonth);
        await RunJobAsync(harness, second.Id);

        Assert.Equal(2, await harness.QueryAsync(db => db.Invoices.CountAsync()));
        Assert.Equal(2, await harness.QueryAsync(db => db.JournalEntries.CountAsync(e => e.Kind == EntryKind.InvoiceIssued)));
        var secondDetails = await harness.RunAsync<GetBillingRun, GetBillingRun.Request, BillingRunDetails>(harness.Admin, new(second.Id));
        Assert.Equal(2, secondDetails.Value!.Run.Done);
    }

    [Fact]
    public async Task A_run_stopped_midway_resumes_and_finishes_without_duplicates()
    {
        var (harness, lastMonth) = await StartWithSubscriptionsAsync();
        await using var _ = harness;
        var run = await TriggerAsync(harness, lastMonth);

        // The job stops after the first customer's commit and never reaches its end, as a killed process would.
        await harness.Services.GetRequiredService<BillingRunJob>().RunAsync(run.Id, stopAfter: 1, CancellationToken.None);
        Assert.Equal(1, await harness.QueryAsync(db => db.Invoices.CountAsync()));
        Assert.Equal(BillingRunStatus.Running, await harness.QueryAsync(db => db.BillingRuns.Where(r => r.Id == run.Id).Select(r => r.Status).SingleAsync()));

        // Its lease is still live, so nothing resumes it yet; once the lease lapses, it is picked up again.
        var scheduler = harness.Services.GetRequiredService<BillingScheduler>();
        Assert.Equal(0, await scheduler.ResumeInterruptedAsync(CancellationToken.None));
        harness.Clock.Advance(harness.Services.GetRequiredService<Infrastructure.Operations.JobLease>().Duration + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await scheduler.ResumeInterruptedAsync(CancellationToken.None));
        await RunJobAsync(harness, run.Id);

        Assert.Equal(2, await harness.QueryAsync(db => db.Invoices.CountAsync()));
        var finished = await harness.QueryAsync(db => db.BillingRuns.SingleAsync(r => r.Id == run.Id));
        Assert.Equal((BillingRunStatus.Succeeded, null, null), (finished.Status, finished.ActiveKey, finished.LeaseOwner));
        Assert.Equal(2, await harness.QueryAsync(db => db.BillingRunItems.CountAsync(i => i.RunId == run.Id && i.Status == BillingRunItemStatus.Done)));
    }

    [Fact]
    public async Task Customers_billed_in_one_shared_commit_are_each_marked_done_with_their_invoice()
    {
        var (harness, lastMonth) = await StartWithSubscriptionsAsync();
        await using var _ = harness;
        var run = await TriggerAsync(harness, lastMonth);

        // Both customers share one commit; the job then stops before finishing the run, so nothing else marks them.
        await harness.Services.GetRequiredService<BillingRunJob>().RunAsync(run.Id, stopAfter: 2, CancellationToken.None);

        var items = await harness.QueryAsync(db => db.BillingRunItems.Where(i => i.RunId == run.Id).ToListAsync());
        var invoices = await harness.QueryAsync(db => db.Invoices.Select(i => i.Id).ToListAsync());
        Assert.All(items, i => Assert.Equal(BillingRunItemStatus.Done, i.Status));
        Assert.Equal(invoices.Order(), items.Select(i => i.InvoiceId!.Value).Order());
    }

    [Fact]
    public async Task Months_run_out_of_order_bill_each_months_fee_in_advance_exactly_once()
    {
        await using var harness = await IngestStoreTests.StartWithMetricAsync();
        await harness.RunAsync<SavePlan, SavePlan.Request, PlanView>(harness.Admin, new("ahead", "Ahead", "USD", BillingInterval.Monthly, "30.00",
            FeeTiming.InAdvance, [], null, null));
        var thisMonth = BillingCalendar.MonthStartOf(harness.Clock.GetUtcNow());
        var started = await harness.RunAsync<StartSubscription, StartSubscription.Request, SubscriptionView>(harness.Admin,
            new("cus_acme", "ahead", DateOnly.FromDateTime(thisMonth.AddMonths(-2).UtcDateTime), null));
        Assert.True(started.Succeeded, started.Message);

        // Last month first (it catches up on itself and bills this month ahead), then the month before.
        foreach (var month in new[] { thisMonth.AddMonths(-1), thisMonth.AddMonths(-2) })
        {
            var run = await TriggerAsync(harness, month);
            await RunJobAsync(harness, run.Id);
        }

        var drafts = await harness.QueryAsync(db => db.Invoices.Select(i => i.Draft).ToListAsync());
        var billedPerFeePeriod = drafts.SelectMany(d => d.Lines).GroupBy(l => l.FeePeriodStart!.Value).ToDictionary(g => g.Key, g => g.Sum(l => l.Amount));
        Assert.Equal(new Dictionary<DateTimeOffset, long> { [thisMonth.AddMonths(-2)] = 3000, [thisMonth.AddMonths(-1)] = 3000, [thisMonth] = 3000 }, billedPerFeePeriod);
    }

    [Fact]
    public async Task A_finalized_invoices_lines_and_totals_cannot_be_edited_or_deleted_only_its_correction_state()
    {
        var (harness, lastMonth) = await StartWithSubscriptionsAsync();
        await using var _ = harness;
        var run = await TriggerAsync(harness, lastMonth);
        await RunJobAsync(harness, run.Id);

        var edit = await harness.QueryAsync(async db =>
        {
            var invoice = await db.Invoices.FirstAsync();
            invoice.Subtotal = 1;
            return await Record.ExceptionAsync(() => db.SaveChangesAsync());
        });
        var delete = await harness.QueryAsync(async db =>
        {
            db.Invoices.Remove(await db.Invoices.FirstAsync());
            return await Record.ExceptionAsync(() => db.SaveChangesAsync());
        });
        var status = await harness.QueryAsync(async db =>
        {
            var invoice = await db.Invoices.FirstAsync();
            invoice.Status = InvoiceStatus.Paid;
            invoice.PaidTotal = invoice.AmountDue;
            invoice.AmountDue = 0;
            return await Record.ExceptionAsync(() => db.SaveChangesAsync());
        });

        Assert.Contains("never changed or deleted", edit!.Message, StringComparison.Ordinal);
        Assert.Contains("never changed or deleted", delete!.Message, StringComparison.Ordinal);
        Assert.Null(status);
        Assert.Equal(2, await harness.QueryAsync(db => db.Invoices.CountAsync()));
    }

    [Fact]
    public async Task Only_one_run_per_period_and_scope_is_active_and_the_database_enforces_it()
    {
        var (harness, lastMonth) = await StartWithSubscriptionsAsync();
        await using var _ = harness;
        var first = await TriggerAsync(harness, lastMonth);
        var again = await harness.RunAsync<TriggerBillingRun, TriggerBillingRun.Request, BillingRunView>(harness.Admin,
            new(DateOnly.FromDateTime(lastMonth.UtcDateTime), null, false));
        Assert.Equal(UseCaseStatus.Conflict, again.Status);
        var otherScope = await TriggerAsync(harness, lastMonth, customer: "cus_acme");
        Assert.NotEqual(first.Id, otherScope.Id);

        // Bypassing the use case, the unique index still refuses a second active run.
        var duplicate = await harness.QueryAsync(async db =>
        {
            db.BillingRuns.Add(new BillingRunRecord
            {
                Id = Guid.NewGuid(), ProjectId = harness.ProjectId, PeriodStart = lastMonth, Kind = BillingRunKind.Manual, Status = BillingRunStatus.Queued,
                ActiveKey = BillingRunRecord.ActiveKeyFor(harness.ProjectId, lastMonth, null), CreatedAt = lastMonth,
            });
            return await Record.ExceptionAsync(() => db.SaveChangesAsync());
        });
        Assert.IsType<DbUpdateException>(duplicate);
    }

    [Fact]
    public async Task A_dry_run_computes_the_same_drafts_the_final_run_then_finalizes()
    {
        var (harness, lastMonth) = await StartWithSubscriptionsAsync();
        await using var _ = harness;
        var dry = await TriggerAsync(harness, lastMonth, dryRun: true);
        await RunJobAsync(harness, dry.Id);
        Assert.Equal(0, await harness.QueryAsync(db => db.Invoices.CountAsync()));

        var final = await TriggerAsync(harness, lastMonth);
        await RunJobAsync(harness, final.Id);

        var dryHashes = await harness.QueryAsync(db => db.BillingRunItems.Where(i => i.RunId == dry.Id).OrderBy(i => i.SubscriptionId).Select(i => i.DraftHash).ToListAsync());
        var invoiceHashes = await harness.QueryAsync(db => db.Invoices.OrderBy(i => i.SubscriptionId).Select(i => (string?)i.DraftHash).ToListAsync());
        Assert.Equal(invoiceHashes, dryHashes);
    }

    [Fact]
    public async Task A_rerun_previews_late_usage_beside_the_finalized_invoice_and_changes_nothing()
    {
        var (harness, lastMonth) = await StartWithSubscriptionsAsync();
        await using var _ = harness;
        var nothingYet = await harness.RunAsync<TriggerBillingRun, TriggerBillingRun.Request, BillingRunView>(harness.Admin,
            new(DateOnly.FromDateTime(lastMonth.UtcDateTime), null, false, Rerun: true));
        Assert.Equal(UseCaseStatus.Invalid, nothingYet.Status);

        var final = await TriggerAsync(harness, lastMonth);
        await RunJobAsync(harness, final.Id);
        // 200 calls arrive late for Acme: (200 - 100 included) x 0.01 = 1.00 more.
        await IngestStoreTests.IngestAsync(harness, [.. Enumerable.Range(1, 200).Select(i => new IncomingEvent($"late-{i}", "cus_acme", "api_calls",
            lastMonth.AddDays(5).ToString("O"), null))]);
        var rerun = await RerunAsync(harness, lastMonth);

        var details = (await harness.RunAsync<GetBillingRun, GetBillingRun.Request, BillingRunDetails>(harness.Admin, new(rerun.Id))).Value!;
        Assert.Equal((2, 1), (details.Rerun!.Compared, details.Rerun.Differing));
        Assert.Equal([new RerunNet("USD", 100)], details.Rerun.Net);
        var comparisons = (await harness.RunAsync<ListRerunComparisons, ListRerunComparisons.Request, PageOf<RerunComparison>>(harness.Admin,
            new(rerun.Id, OnlyDifferences: false))).Value!;
        Assert.Equal([("cus_acme", 100L, false), ("cus_globex", 0L, true)], comparisons.Items.Select(c => (c.ExternalId, c.Difference, c.Unchanged)));
        Assert.Equal(2, await harness.QueryAsync(db => db.Invoices.CountAsync()));
        Assert.Equal(2, await harness.QueryAsync(db => db.JournalEntries.CountAsync(e => e.Kind == EntryKind.InvoiceIssued)));
        var compare = await harness.RunAsync<CompareRerunDraft, CompareRerunDraft.Request, RerunDraftComparison>(harness.Admin,
            new(rerun.Id, comparisons.Items[0].SubscriptionId));
        Assert.Equal(compare.Value!.Finalized.AmountDue + 100, compare.Value.Draft.AmountDue);
    }

    [Fact]
    public async Task The_schedule_starts_the_latest_month_whose_grace_has_passed_once()
    {
        var (harness, _) = await StartWithSubscriptionsAsync();
        await using var __ = harness;
        var scheduler = harness.Services.GetRequiredService<BillingScheduler>();
        var grace = TimeSpan.FromHours(await harness.QueryAsync(db => db.Projects.Select(p => p.UsageGraceHours).SingleAsync()));
        if (BillingCalendar.MonthStartOf(harness.Clock.GetUtcNow() - grace) != BillingCalendar.MonthStartOf(harness.Clock.GetUtcNow()))
        {
            // Early on the 1st, last month is still in its grace period; the subscriptions began last month, so move past it.
            harness.Clock.Advance(grace);
        }

        await scheduler.RunDueAsync(CancellationToken.None);
        await scheduler.RunDueAsync(CancellationToken.None);

        var run = await harness.QueryAsync(db => db.BillingRuns.SingleAsync());
        var now = harness.Clock.GetUtcNow();
        Assert.Equal((BillingRunKind.Scheduled, "Schedule", (Guid?)null), (run.Kind, run.TriggeredBy, run.CustomerId));
        Assert.True(run.PeriodStart.AddMonths(1) + grace <= now, "the scheduled month's grace has passed");
        Assert.True(run.PeriodStart.AddMonths(2) + grace > now, "no later month's grace has passed");
        Assert.NotNull(run.JobId);
    }

    [Fact]
    public async Task A_month_that_has_not_ended_cannot_be_finalized_but_can_be_previewed()
    {
        var (harness, _) = await StartWithSubscriptionsAsync();
        await using var __ = harness;
        var thisMonth = BillingCalendar.MonthStartOf(harness.Clock.GetUtcNow());
        var refused = await harness.RunAsync<TriggerBillingRun, TriggerBillingRun.Request, BillingRunView>(harness.Admin,
            new(DateOnly.FromDateTime(thisMonth.UtcDateTime), null, false));
        Assert.Equal(UseCaseStatus.Invalid, refused.Status);
        Assert.Contains("has not ended yet", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, await harness.QueryAsync(db => db.BillingRuns.CountAsync()));
        await TriggerAsync(harness, thisMonth, dryRun: true);
    }

    [Fact]
    public async Task A_failing_customer_is_recorded_with_its_error_and_can_be_retried()
    {
        var (harness, lastMonth) = await StartWithSubscriptionsAsync();
        await using var _ = harness;
        // 20.00 of support credit granted during the month, then spent elsewhere after it ended: the run's draft
        // (credit as it stood at the month's end) still draws it, and the ledger refuses to take the wallet below zero.
        var acme = await harness.QueryAsync(db => db.Customers.SingleAsync(c => c.ExternalId == "cus_acme"));
        var writer = harness.Services.GetRequiredService<WalletWriter>();
        PostingContext Posting(string key, DateTimeOffset at) => new(harness.ProjectId, key, at, Domain.Audit.ActorKind.System, "test", "Test", key);
        await writer.GrantAsync(Posting("support", lastMonth.AddDays(1)), acme.Id, "USD", CreditSource.SupportGrant, 2000, null, null);
        await writer.ConsumeAsync(Posting("spent-elsewhere", harness.Clock.GetUtcNow()), acme.Id, "USD", 2000, null);

        var run = await TriggerAsync(harness, lastMonth);
        await RunJobAsync(harness, run.Id);
        var details = (await harness.RunAsync<GetBillingRun, GetBillingRun.Request, BillingRunDetails>(harness.Admin, new(run.Id))).Value!;
        Assert.Equal((BillingRunStatus.CompletedWithFailures, 1, 1), (details.Run.Status, details.Run.Done, details.Run.Failed));
        var failure = Assert.Single(details.Failures);
        Assert.Equal("cus_acme", failure.ExternalId);
        Assert.Contains("no longer holds", failure.Error, StringComparison.Ordinal);
        Assert.Equal(1, await harness.QueryAsync(db => db.Invoices.CountAsync()));

        var retried = await harness.RunAsync<RetryFailedBillingRun, RetryFailedBillingRun.Request, BillingRunView>(harness.Admin, new(run.Id));
        Assert.True(retried.Succeeded, retried.Message);
        Assert.Equal(BillingRunStatus.Queued, retried.Value!.Status);
    }

    private static Task<Guid> InvoiceOfAsync(UseCaseHarness harness, string externalId) => harness.QueryAsync(db =>
        (from i in db.Invoices join c in db.Customers on i.CustomerId equals c.Id where c.ExternalId == externalId select i.Id).SingleAsync());

    private static Task<long> BalanceAsync(UseCaseHarness harness, string accountCode) => harness.QueryAsync(async db =>
    {
        var account = await db.LedgerAccounts.SingleAsync(a => a.ProjectId == harness.ProjectId && a.Code == accountCode);
        return await db.Postings.Where(p => p.AccountId == account.Id).SumAsync(p => p.Amount);
    });
}
