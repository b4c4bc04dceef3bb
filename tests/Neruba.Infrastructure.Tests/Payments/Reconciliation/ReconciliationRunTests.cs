using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Ledger;
using Neruba.Infrastructure.Payments;
using Neruba.Infrastructure.Payments.Reconciliation;
using Neruba.Infrastructure.UseCases;
using Neruba.StripeFake;

namespace Neruba.Infrastructure.Tests.Payments.Reconciliation;

public sealed class ReconciliationRunTests
{
    [Fact]
    public async Task Bad_windows_a_second_run_readers_and_a_project_without_Stripe_are_refused_in_words()
    {
        await using var s = await ReconciliationScenario.StartAsync();
        var h = s.Payments.Harness;
        var now = h.Clock.GetUtcNow();
        Task<UseCaseResult<ReconciliationRunView>> Start(DateTimeOffset? from, DateTimeOffset? to, Actor? actor = null) =>
            h.RunAsync<StartReconciliation, StartReconciliation.Request, ReconciliationRunView>(actor ?? h.Admin, new(from, to));

        Assert.Equal(UseCaseStatus.Invalid, (await Start(now.AddHours(-1), now.AddHours(-2))).Status);
        Assert.Equal(UseCaseStatus.Invalid, (await Start(now.AddDays(-100), now.AddDays(-1))).Status);
        Assert.Equal(UseCaseStatus.Invalid, (await Start(null, now)).Status);
        var future = await Start(now.AddDays(-1), now.AddDays(1));
        Assert.Contains("future", future.Message, StringComparison.Ordinal);
        var viewer = await h.AddPersonAsync("viewer@example.test", ProjectRole.Viewer);
        Assert.Equal(UseCaseStatus.Forbidden, (await Start(now.AddDays(-1), now, viewer)).Status);

        Assert.True((await Start(now.AddDays(-1), now)).Succeeded);
        var second = await Start(now.AddDays(-2), now);
        Assert.Equal(UseCaseStatus.Conflict, second.Status);
        Assert.Contains("already queued", second.Message, StringComparison.Ordinal);
        Assert.Single(s.Payments.Enqueued<ReconciliationJob>());
        Assert.Equal(0, await h.QueryAsync(db => db.ReconciliationRuns.CountAsync(r => r.Status != ReconciliationRunStatus.Queued)));

        await using var bare = await PaymentScenario.StartAsync(configure: false);
        var refused = await bare.Harness.RunAsync<StartReconciliation, StartReconciliation.Request, ReconciliationRunView>(bare.Harness.Admin,
            new(now.AddDays(-1), now.AddMinutes(-1)));
        Assert.Equal((UseCaseStatus.Conflict, StripeGateway.NotConfigured), (refused.Status, refused.Message));
    }

    [Fact]
    public async Task Another_projects_Finance_sees_and_resolves_none_of_this_projects_mismatches_or_runs()
    {
        await using var s = await ReconciliationScenario.StartAsync();
        s.Payments.Fake.RecordOutsidePayment(await s.StripeCustomerAsync("cus_acme"), 1_000, "usd");
        var run = await s.ReconcileAsync();
        var mismatch = Assert.Single(await s.MismatchesAsync());
        var other = await s.Payments.Harness.AdminOfAnotherProjectAsync();
        var h = s.Payments.Harness;

        var list = await h.RunAsync<ListMismatches, ListMismatches.Request, PageOf<MismatchView>>(other, new());
        Assert.Empty(list.Value!.Items);
        Assert.Equal(UseCaseStatus.NotFound, (await s.PostEntryAsync(other, mismatch.Id)).Status);
        Assert.Equal(UseCaseStatus.NotFound,
            (await h.RunAsync<ExplainMismatch, ExplainMismatch.Request, MismatchActionResult>(other, new(mismatch.Id, "not ours"))).Status);
        Assert.Equal(UseCaseStatus.NotFound,
            (await h.RunAsync<GetReconciliationRun, GetReconciliationRun.Request, ReconciliationRunView>(other, new(run.Id))).Status);
        Assert.Single(await s.MismatchesAsync());

        var explained = await h.RunAsync<ExplainMismatch, ExplainMismatch.Request, MismatchActionResult>(h.Admin, new(mismatch.Id, "A test payment"));
        Assert.True(explained.Succeeded, explained.Message);
        var after = await s.ReconcileAsync();
        Assert.Equal(0, after.MismatchesOpened); // an explained difference is not raised again
        Assert.Empty(await s.MismatchesAsync());
    }

    [Fact]
    public async Task More_than_a_page_of_transactions_is_read_page_by_page_with_progress()
    {
        await using var s = await ReconciliationScenario.StartAsync();
        for (var i = 0; i < ReconciliationJob.PageSize + 5; i++)
        {
            s.Payments.Fake.CreatePayout(100 + i, "usd");
        }

        var run = await s.ReconcileAsync();
        Assert.Equal((2, 105, 105, 105), (run.PagesRead, run.TransactionsSeen, run.Matched, run.PayoutsPosted));
        Assert.Equal(105, await s.Payments.EntriesAsync(EntryKind.Payout));
        Assert.Equal(105, run.Categories.Single().Count);
    }

    [Fact]
    public async Task A_run_a_stopped_process_left_running_is_picked_up_again_and_runs_without_duplicating_anything()
    {
        await using var s = await ReconciliationScenario.StartAsync();
        s.Payments.Fake.RecordOutsidePayment(await s.StripeCustomerAsync("cus_acme"), 1_000, "usd");
        s.Payments.Fake.CreatePayout(500, "usd");
        var run = await s.ReconcileAsync();
        await s.Payments.Harness.QueryAsync(db => db.ReconciliationRuns.Where(r => r.Id == run.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, ReconciliationRunStatus.Running)));

        await s.Payments.Service<StripeRecoveryJob>().RunAsync(afterStart: true, CancellationToken.None);
        Assert.Contains(s.Payments.Enqueued<ReconciliationJob>(), args => args.Contains(run.Id.ToString(), StringComparison.Ordinal));

        // Another node may still be running it: it is taken over only once it has been "running" for longer than a live run would.
        await s.Payments.Service<ReconciliationJob>().RunAsync(run.Id, CancellationToken.None);
        Assert.Equal(ReconciliationRunStatus.Running, (await s.RunAsync(run.Id)).Status);
        s.Payments.Harness.Clock.Advance(ReconciliationJob.StaleAfter + TimeSpan.FromMinutes(1));
        await s.Payments.Service<ReconciliationJob>().RunAsync(run.Id, CancellationToken.None);

        var again = await s.RunAsync(run.Id);
        Assert.Equal((ReconciliationRunStatus.Succeeded, 1, 0), (again.Status, again.MismatchesStillOpen, again.MismatchesOpened));
        Assert.Single(await s.MismatchesAsync(null));
        Assert.Equal(1, await s.Payments.EntriesAsync(EntryKind.Payout));
    }

    [Fact]
    public async Task A_Stripe_failure_fails_the_run_in_words_and_frees_the_project_for_the_next()
    {
        await using var s = await ReconciliationScenario.StartAsync();
        s.Payments.Fake.FailNext(FakeFault.ServerError, 1);
        var run = await s.ReconcileAsync();
        Assert.Equal(ReconciliationRunStatus.Failed, run.Status);
        Assert.Equal(StripeGateway.Describe(new Stripe.StripeException(System.Net.HttpStatusCode.InternalServerError, null, "x")), run.Error);
        Assert.Equal(ReconciliationRunStatus.Succeeded, (await s.ReconcileAsync()).Status);
    }

    [Fact]
    public async Task A_fee_never_recorded_is_posted_under_the_fee_jobs_key_so_the_job_posts_nothing_more()
    {
        await using var s = await ReconciliationScenario.StartAsync();
        var invoice = await s.Payments.PayAcmeThroughStripeAsync(); // the fee job has not run
        await s.ReconcileAsync();
        var fee = Assert.Single(await s.MismatchesAsync());
        Assert.Equal((MismatchKind.FeeNotRecorded, 0L), (fee.Kind, fee.LedgerFee));

        Assert.True((await s.PostEntryAsync(s.Payments.Harness.Admin, fee.Id)).Succeeded);
        var attempt = (await s.Payments.AttemptsAsync(invoice.Id)).Single();
        await s.Payments.Service<Infrastructure.Payments.Fees.StripeFeeJob>().RecordAsync(s.Payments.Harness.ProjectId, attempt.PaymentIntentId!, CancellationToken.None);

        Assert.Equal(1, await s.Payments.EntriesAsync(EntryKind.PaymentFee));
        Assert.Equal(0, (await s.ReconcileAsync()).MismatchesOpened);
        Assert.Empty(await s.MismatchesAsync());
    }

    [Fact]
    public async Task An_entry_Stripe_does_not_know_is_in_the_ledger_but_not_in_Stripe()
    {
        await using var s = await ReconciliationScenario.StartAsync();
        var h = s.Payments.Harness;
        await h.QueryAsync(async db =>
        {
            var pending = await db.AccountAsync(h.ProjectId, AccountKind.RefundsPending, "USD", null, CancellationToken.None);
            var clearing = await db.AccountAsync(h.ProjectId, AccountKind.StripeClearing, "USD", null, CancellationToken.None);
            db.JournalEntries.Add(PaymentPostings.RefundPaid(new PostingContext(h.ProjectId, "stripe-refund:re_ghost", h.Clock.GetUtcNow(),
                Domain.Audit.ActorKind.System, "stripe", "Stripe webhook", "ghost"), pending, clearing, 700, "credit-note:x"));
            return await db.SaveChangesAsync();
        });

        await s.ReconcileAsync();
        var ghost = Assert.Single(await s.MismatchesAsync());
        Assert.Equal((MismatchKind.MissingInStripe, "re_ghost", -700L), (ghost.Kind, ghost.SourceId, ghost.LedgerAmount));
        Assert.Equal(UseCaseStatus.Conflict, (await s.PostEntryAsync(h.Admin, ghost.Id)).Status);
        Assert.True((await h.RunAsync<ExplainMismatch, ExplainMismatch.Request, MismatchActionResult>(h.Admin, new(ghost.Id, "Posted by a test"))).Succeeded);
        Assert.Equal(0, (await s.ReconcileAsync()).MismatchesOpened);
    }

    [Fact]
    public async Task The_daily_run_reconciles_yesterday_for_each_project_with_Stripe_once()
    {
        await using var s = await ReconciliationScenario.StartAsync();
        var daily = s.Payments.Service<Reconciliations>();
        await daily.RunDailyAsync(CancellationToken.None);
        await daily.RunDailyAsync(CancellationToken.None); // the first is still queued: not doubled

        var run = Assert.Single(await s.Payments.Harness.QueryAsync(db => db.ReconciliationRuns.AsNoTracking().ToListAsync()));
        var today = s.Payments.Harness.Clock.GetUtcNow().UtcDateTime.Date;
        Assert.Equal((ReconciliationTrigger.Scheduled, today.AddDays(-1), today), (run.Trigger, run.WindowStart.UtcDateTime, run.WindowEnd.UtcDateTime));
        Assert.Single(s.Payments.Enqueued<ReconciliationJob>());
    }

    [Fact]
    public async Task An_open_mismatch_that_now_matches_is_closed_by_the_next_run()
    {
        await using var s = await ReconciliationScenario.StartAsync();
        var invoice = await s.Payments.PayAcmeThroughStripeAsync();
        await s.ReconcileAsync();
        Assert.Equal(MismatchKind.FeeNotRecorded, Assert.Single(await s.MismatchesAsync()).Kind);

        var attempt = (await s.Payments.AttemptsAsync(invoice.Id)).Single();
        await s.Payments.Service<Infrastructure.Payments.Fees.StripeFeeJob>().RecordAsync(s.Payments.Harness.ProjectId, attempt.PaymentIntentId!, CancellationToken.None);
        var run = await s.ReconcileAsync();

        Assert.Equal((1, 0), (run.MismatchesClosed, run.MismatchesOpened));
        var closed = Assert.Single(await s.MismatchesAsync(MismatchStatus.Matched));
        Assert.Null(closed.OpenKey);
    }
}
