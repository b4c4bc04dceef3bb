using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Payments.Reconciliation;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Tests.Payments.Reconciliation;

/// <summary>What an outside review tried: an approver posting other figures than were asked for, starts racing, one run taken by two workers.</summary>
public sealed class ReconciliationRaceTests
{
    [Fact]
    public async Task An_approver_cannot_post_other_figures_than_the_run_found_and_a_run_with_new_figures_withdraws_the_request()
    {
        await using var s = await ReconciliationScenario.StartAsync();
        await s.Payments.Harness.QueryAsync(async db =>
        {
            (await db.Projects.SingleAsync(p => p.Id == s.Payments.Harness.ProjectId)).ChangeCorrectionThreshold(10);
            return await db.SaveChangesAsync();
        });
        var finance = await s.Payments.Harness.AddPersonAsync("fin@example.test", ProjectRole.Finance);
        var attempt = await s.PayAcmeWithFeeAsync();
        var feeTxn = await s.ChargeTransactionAsync(attempt.ChargeId!);
        s.Payments.Fake.AdjustFee(feeTxn.Id, feeTxn.Fee + 25);
        await s.ReconcileAsync();
        var mismatch = Assert.Single(await s.MismatchesAsync());
        Assert.True((await s.PostEntryAsync(finance, mismatch.Id, "Stripe revised the fee by 0.25")).Succeeded);
        var fees = await s.Payments.Billing.BalanceAsync(AccountKind.PaymentFees, null);

        s.Payments.Fake.AdjustFee(feeTxn.Id, feeTxn.Fee + 90_000);
        var approved = await s.PostEntryAsync(s.Payments.Harness.Admin, mismatch.Id, "ok");

        Assert.Equal(UseCaseStatus.Conflict, approved.Status);
        Assert.Contains("changed since", approved.Message, StringComparison.Ordinal);
        Assert.Equal(fees, await s.Payments.Billing.BalanceAsync(AccountKind.PaymentFees, null));

        await s.ReconcileAsync();
        var refreshed = Assert.Single(await s.MismatchesAsync());
        Assert.Equal((mismatch.Id, feeTxn.Fee + 90_000, (string?)null), (refreshed.Id, refreshed.StripeFee, refreshed.ApprovalRequestedById));
    }

    [Fact]
    public async Task Four_starts_at_the_same_moment_make_one_run_and_the_others_are_told_why()
    {
        await using var s = await ReconciliationScenario.StartAsync();
        s.Payments.Harness.Clock.Advance(TimeSpan.FromMinutes(1));
        var end = s.Payments.Harness.Clock.GetUtcNow();

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
            s.Payments.Harness.RunAsync<StartReconciliation, StartReconciliation.Request, ReconciliationRunView>(s.Payments.Harness.Admin, new(s.WindowStart, end)))));

        Assert.Equal(1, await s.Payments.Harness.QueryAsync(db => db.ReconciliationRuns.CountAsync()));
        Assert.Single(results, r => r.Succeeded);
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal(UseCaseStatus.Conflict, r.Status));
    }

    [Fact]
    public async Task One_run_taken_by_two_workers_at_once_is_reconciled_by_one_and_posts_its_payout_once()
    {
        await using var s = await ReconciliationScenario.StartAsync();
        s.Payments.Fake.CreatePayout(2_000, "usd");
        s.Payments.Harness.Clock.Advance(TimeSpan.FromMinutes(1));
        var started = await s.Payments.Harness.RunAsync<StartReconciliation, StartReconciliation.Request, ReconciliationRunView>(s.Payments.Harness.Admin,
            new(s.WindowStart, s.Payments.Harness.Clock.GetUtcNow()));
        Assert.True(started.Succeeded, started.Message);
        var job = s.Payments.Service<ReconciliationJob>();

        await Task.WhenAll(Task.Run(() => job.RunAsync(started.Value!.Id, CancellationToken.None)),
            Task.Run(() => job.RunAsync(started.Value!.Id, CancellationToken.None)));

        var run = await s.RunAsync(started.Value!.Id);
        Assert.Equal((ReconciliationRunStatus.Succeeded, 1), (run.Status, run.PayoutsPosted));
        Assert.Equal(1, await s.Payments.EntriesAsync(EntryKind.Payout));
    }
}
