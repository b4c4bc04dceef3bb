using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Neruba.Domain.Access;
using Neruba.Infrastructure.Billing.Corrections;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Metering;
using Neruba.Infrastructure.Tests.Billing;
using Neruba.Infrastructure.Tests.Metering;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Tests.Corrections;

/// <summary>Committing a rerun: the effect, four eyes above the threshold, a job that issues each correction once, and the backlog cleared.</summary>
public class RerunCommitTests
{
    /// <summary>acme gets 50 late events (+0.50); globex was reissued at 59.00 by hand, so the rerun's 49.00 is 10.00 lower.</summary>
    private static async Task<(CorrectionScenario S, Guid RerunId)> ChangedRerunAsync()
    {
        var s = await CorrectionScenario.StartAsync();
        var at = s.LastMonth.AddDays(9).ToString("O");
        await IngestStoreTests.IngestAsync(s.Harness, [.. Enumerable.Range(1, 50).Select(i => new IncomingEvent($"late{i}", "cus_acme", "api_calls", at, null))]);
        var reissued = await s.Harness.RunAsync<VoidAndReissueInvoice, VoidAndReissueInvoice.Request, InvoiceReissued>(s.Harness.Admin,
            new(s.Globex, "Price agreed", false, [new LineAdjustmentInput(0, "59.00", null, "Old price")]));
        Assert.True(reissued.Succeeded, reissued.Message);
        var rerun = await BillingRunTests.RerunAsync(s.Harness, s.LastMonth);
        return (s, rerun.Id);
    }

    [Fact]
    public async Task Above_the_threshold_a_finance_member_other_than_the_proposer_approves_and_the_job_issues_each_correction_once()
    {
        var (s, rerunId) = await ChangedRerunAsync();
        await using var _ = s.Harness;
        await s.Harness.QueryAsync(async db =>
        {
            (await db.Projects.SingleAsync(p => p.Id == s.Harness.ProjectId)).ChangeCorrectionThreshold(100);
            return await db.SaveChangesAsync();
        });
        var operatorActor = await s.Harness.AddPersonAsync("ops@example.com", ProjectRole.Operator);
        var finance = await s.Harness.AddPersonAsync("fin@example.com", ProjectRole.Finance);

        var plan = await s.Harness.ValueAsync<PlanRerunCommit, PlanRerunCommit.Request, RerunCommitPlan>(new(rerunId));
        Assert.Equal([new RerunCommitEffect("USD", 1, 1000, 1, 50)], plan.Effect);
        Assert.True(plan.NeedsApproval);

        var proposed = await s.Harness.ValueAsync<ProposeRerunCommit, ProposeRerunCommit.Request, RerunCommitView>(new(rerunId, "Late events"), operatorActor);
        var again = await s.Harness.RunAsync<ProposeRerunCommit, ProposeRerunCommit.Request, RerunCommitView>(operatorActor, new(rerunId, "twice"));
        var byOperator = await s.Harness.RunAsync<DecideRerunCommit, DecideRerunCommit.Request, RerunCommitView>(operatorActor, new(proposed.Id, true, "ok"));
        Assert.Equal(RerunCommitStatus.PendingApproval, proposed.Status);
        Assert.Equal(UseCaseStatus.Conflict, again.Status);
        Assert.Equal(UseCaseStatus.Forbidden, byOperator.Status);

        // Nothing is issued before the approval, even if the job is started.
        var job = s.Harness.Services.GetRequiredService<RerunCommitJob>();
        await job.RunAsync(proposed.Id, CancellationToken.None);
        Assert.Equal(0, await s.Harness.QueryAsync(db => db.CreditNotes.CountAsync()));

        var approved = await s.Harness.ValueAsync<DecideRerunCommit, DecideRerunCommit.Request, RerunCommitView>(new(proposed.Id, true, "Checked"), finance);
        Assert.Equal(RerunCommitStatus.Queued, approved.Status);
        await job.RunAsync(proposed.Id, CancellationToken.None);
        await job.RunAsync(proposed.Id, CancellationToken.None);

        var view = (await s.Harness.ValueAsync<PlanRerunCommit, PlanRerunCommit.Request, RerunCommitPlan>(new(rerunId))).Existing!;
        Assert.Equal((RerunCommitStatus.Succeeded, 2, 2, 0), (view.Status, view.Total, view.Done, view.Failed));
        var supplemental = await s.Harness.QueryAsync(db => db.Invoices.SingleAsync(i => i.Kind == InvoiceKind.Supplemental));
        Assert.Equal((50L, 50L, rerunId), (supplemental.Subtotal, supplemental.AmountDue, supplemental.RerunId));
        Assert.Equal((await s.InvoiceAsync(s.Acme)).Id, supplemental.CorrectsInvoiceId);
        Assert.Contains("150 → 200 units", supplemental.Draft.Lines.Single().Explanation, StringComparison.Ordinal);
        var note = await s.Harness.QueryAsync(db => db.CreditNotes.SingleAsync());
        Assert.Equal((1000L, 1000L, 0L, "fin@example.com"), (note.Total, note.ToDue, note.ToWallet, note.ApprovedByName));
        Assert.Empty(await s.Harness.QueryAsync(db => LateUsage.BacklogAsync(db, s.Harness.ProjectId, CancellationToken.None)));

        // A second rerun of the same month now finds nothing to correct.
        var second = await BillingRunTests.RerunAsync(s.Harness, s.LastMonth);
        Assert.Equal(0, (await s.Harness.ValueAsync<PlanRerunCommit, PlanRerunCommit.Request, RerunCommitPlan>(new(second.Id))).Changed);
    }

    [Fact]
    public async Task Within_the_threshold_the_commit_starts_at_once_and_the_proposer_cannot_approve_a_commit_that_needs_it()
    {
        var (s, rerunId) = await ChangedRerunAsync();
        await using var _ = s.Harness;

        var proposed = await s.Harness.ValueAsync<ProposeRerunCommit, ProposeRerunCommit.Request, RerunCommitView>(new(rerunId, null));
        var self = await s.Harness.RunAsync<DecideRerunCommit, DecideRerunCommit.Request, RerunCommitView>(s.Harness.Admin, new(proposed.Id, true, "mine"));

        Assert.Equal((RerunCommitStatus.Queued, false), (proposed.Status, proposed.NeedsApproval));
        Assert.Equal(UseCaseStatus.Conflict, self.Status);
    }

    [Fact]
    public async Task A_goodwill_credit_note_is_not_billed_again_by_a_rerun_and_a_second_commit_finds_nothing()
    {
        var s = await CorrectionScenario.StartAsync();
        await using var _ = s.Harness;
        Assert.True((await s.CreditAsync(s.Acme, flat: "10.00")).Succeeded);
        var at = s.LastMonth.AddDays(9).ToString("O");
        await IngestStoreTests.IngestAsync(s.Harness, [.. Enumerable.Range(1, 20).Select(i => new IncomingEvent($"late{i}", "cus_acme", "api_calls", at, null))]);
        var rerun = await BillingRunTests.RerunAsync(s.Harness, s.LastMonth);

        var plan = await s.Harness.ValueAsync<PlanRerunCommit, PlanRerunCommit.Request, RerunCommitPlan>(new(rerun.Id));
        Assert.Equal([new RerunCommitEffect("USD", 0, 0, 1, 20)], plan.Effect);
        var commit = await s.Harness.ValueAsync<ProposeRerunCommit, ProposeRerunCommit.Request, RerunCommitView>(new(rerun.Id, null));
        await s.Harness.Services.GetRequiredService<RerunCommitJob>().RunAsync(commit.Id, CancellationToken.None);

        var supplemental = await s.Harness.QueryAsync(db => db.Invoices.SingleAsync(i => i.Kind == InvoiceKind.Supplemental));
        Assert.Equal(20, supplemental.Subtotal);
        var again = await BillingRunTests.RerunAsync(s.Harness, s.LastMonth);
        Assert.Equal(0, (await s.Harness.ValueAsync<PlanRerunCommit, PlanRerunCommit.Request, RerunCommitPlan>(new(again.Id))).Changed);
    }

    [Fact]
    public async Task Finance_can_dismiss_a_months_late_events_with_a_reason_and_later_ones_are_late_again()
    {
        var s = await CorrectionScenario.StartAsync();
        await using var _ = s.Harness;
        var at = s.LastMonth.AddDays(9).ToString("O");
        await IngestStoreTests.IngestAsync(s.Harness, [new IncomingEvent("late1", "cus_acme", "api_calls", at, null)]);
        var month = DateOnly.FromDateTime(s.LastMonth.UtcDateTime);

        var dismissed = await s.Harness.ValueAsync<DismissLateUsage, DismissLateUsage.Request, int>(new(month, "One event, not worth a correction"));
        Assert.Equal(1, dismissed);
        Assert.Empty(await s.Harness.QueryAsync(db => LateUsage.BacklogAsync(db, s.Harness.ProjectId, CancellationToken.None)));
        var nothing = await s.Harness.RunAsync<DismissLateUsage, DismissLateUsage.Request, int>(s.Harness.Admin, new(month, "again"));
        Assert.Equal(UseCaseStatus.Conflict, nothing.Status);

        await IngestStoreTests.IngestAsync(s.Harness, [new IncomingEvent("late2", "cus_acme", "api_calls", at, null)]);
        Assert.Equal(1, Assert.Single(await s.Harness.QueryAsync(db => LateUsage.BacklogAsync(db, s.Harness.ProjectId, CancellationToken.None))).LateEvents);
    }
}
