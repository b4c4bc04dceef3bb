using Microsoft.EntityFrameworkCore;
using Neruba.Infrastructure.Payments;
using Neruba.Infrastructure.Payments.Reconciliation;

namespace Neruba.Infrastructure.Tests.Payments.Disputes;

/// <summary>The signals readiness shows: disputes due within 72 h or overdue, open mismatches, time since the last good reconciliation.</summary>
public sealed class PaymentSignalsTests
{
    [Fact]
    public async Task A_dispute_waiting_for_evidence_is_due_soon_within_72_hours_and_overdue_after_its_due_date()
    {
        await using var scenario = await PaymentScenario.StartAsync();
        Assert.Equal(new PaymentSignals(0, 0, null, 0, null, null), await SignalsAsync(scenario));
        var (_, disputeId) = await DisputeWebhookTests.DisputeAcmeAsync(scenario);
        var due = await scenario.Harness.QueryAsync(db => db.Disputes.Where(d => d.StripeDisputeId == disputeId).Select(d => d.EvidenceDueBy!.Value).SingleAsync());

        var signals = await SignalsAsync(scenario);
        Assert.Equal((0, 0, due), (signals.DisputesDueSoon, signals.DisputesOverdue, signals.NextEvidenceDue!.Value));

        scenario.Harness.Clock.Advance(due - scenario.Harness.Clock.GetUtcNow() - TimeSpan.FromHours(71));
        Assert.Equal((1, 0), ((await SignalsAsync(scenario)).DisputesDueSoon, (await SignalsAsync(scenario)).DisputesOverdue));

        scenario.Harness.Clock.Advance(TimeSpan.FromHours(72));
        signals = await SignalsAsync(scenario);
        Assert.Equal((0, 1, (DateTimeOffset?)null), (signals.DisputesDueSoon, signals.DisputesOverdue, signals.NextEvidenceDue));

        await scenario.Harness.QueryAsync(db => db.Disputes.ExecuteUpdateAsync(s => s.SetProperty(d => d.SubmittedAt, scenario.Harness.Clock.GetUtcNow())));
        Assert.Equal(0, (await SignalsAsync(scenario)).DisputesOverdue);
    }

    [Fact]
    public async Task Open_mismatches_and_the_time_since_the_last_successful_reconciliation_are_counted()
    {
        await using var scenario = await PaymentScenario.StartAsync();
        var now = scenario.Harness.Clock.GetUtcNow();
        var run = new ReconciliationRunRecord
        {
            Id = Guid.NewGuid(), ProjectId = scenario.Harness.ProjectId, WindowStart = now.AddDays(-2), WindowEnd = now.AddDays(-1),
            Trigger = ReconciliationTrigger.Manual, Status = ReconciliationRunStatus.Succeeded, CreatedAt = now.AddHours(-5), FinishedAt = now.AddHours(-5),
        };
        var failed = new ReconciliationRunRecord
        {
            Id = Guid.NewGuid(), ProjectId = scenario.Harness.ProjectId, WindowStart = now.AddDays(-1), WindowEnd = now,
            Trigger = ReconciliationTrigger.Manual, Status = ReconciliationRunStatus.Failed, CreatedAt = now.AddHours(-1), FinishedAt = now.AddHours(-1),
        };
        await scenario.Harness.QueryAsync(async db =>
        {
            db.ReconciliationRuns.AddRange(run, failed);
            db.ReconciliationMismatches.AddRange(Mismatch(run, "ch_1", MismatchStatus.Open), Mismatch(run, "ch_2", MismatchStatus.Explained));
            return await db.SaveChangesAsync();
        });

        var signals = await SignalsAsync(scenario);

        Assert.Equal((1, now.AddHours(-5)), (signals.OpenMismatches, signals.LastReconciledAt!.Value));
        Assert.InRange(signals.SinceLastReconciliation!.Value, TimeSpan.FromHours(5), TimeSpan.FromHours(5.1));
    }

    private static ReconciliationMismatchRecord Mismatch(ReconciliationRunRecord run, string source, MismatchStatus status) => new()
    {
        Id = Guid.NewGuid(), ProjectId = run.ProjectId, Kind = MismatchKind.MissingInLedger, SourceId = source, Currency = "USD", Status = status,
        OpenKey = status == MismatchStatus.Open ? ReconciliationMismatchRecord.OpenKeyFor(MismatchKind.MissingInLedger, source) : null,
        FirstRunId = run.Id, LastRunId = run.Id, OccurredAt = run.WindowStart, FirstSeenAt = run.CreatedAt, LastSeenAt = run.CreatedAt,
    };

    private static async Task<PaymentSignals> SignalsAsync(PaymentScenario scenario)
    {
        var result = await scenario.Harness.RunAsync<GetPaymentSignals, GetPaymentSignals.Request, PaymentSignals>(scenario.Harness.Admin, new());
        Assert.True(result.Succeeded, result.Message);
        return result.Value!;
    }
}
