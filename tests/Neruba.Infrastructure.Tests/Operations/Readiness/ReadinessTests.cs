using Microsoft.Extensions.DependencyInjection;
using Neruba.Domain.Access;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Credits;
using Neruba.Infrastructure.Ledger;
using Neruba.Infrastructure.Ledger.Integrity;
using Neruba.Infrastructure.Operations.Readiness;
using Neruba.Infrastructure.Tests.Billing;
using Neruba.Infrastructure.Tests.Support;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Tests.Operations.Readiness;

/// <summary>Readiness signals judged on real records against the project's thresholds, each turning the colour its figure deserves.</summary>
public class ReadinessTests
{
    [Fact]
    public async Task A_billed_project_is_green_where_all_is_well_amber_where_nothing_was_checked_and_off_where_stripe_is_not_used()
    {
        var (harness, lastMonth) = await BillingRunTests.StartWithSubscriptionsAsync();
        await using var _ = harness;
        var run = await BillingRunTests.TriggerAsync(harness, lastMonth);
        await BillingRunTests.RunJobAsync(harness, run.Id);

        var before = await ReadAsync(harness);
        await harness.Services.GetRequiredService<LedgerIntegrity>().CheckProjectAsync(harness.ProjectId, LedgerIntegrityTriggers.Schedule, "Neruba", default);
        var after = await ReadAsync(harness);

        Assert.Equal(SignalLevel.Amber, Signal(before, "integrity.ledger").Level);
        Assert.Equal("Never checked", Signal(before, "integrity.ledger").Figure);
        var integrity = Signal(after, "integrity.ledger");
        Assert.Equal(SignalLevel.Green, integrity.Level);
        Assert.StartsWith("Passed under a minute ago: ", integrity.Figure, StringComparison.Ordinal);
        Assert.Equal(SignalLevel.Green, Signal(after, "platform.database").Level);
        Assert.Equal(SignalLevel.Green, Signal(after, "billing.failed_runs").Level);
        Assert.Equal($"{lastMonth:yyyy-MM} has its final run", Signal(after, "billing.final_run").Figure);
        Assert.Equal(SignalLevel.Off, Signal(after, "platform.stripe").Level);
        Assert.Equal(SignalLevel.Off, Signal(after, "finance.reconciliation_age").Level);
        Assert.All(after.Signals, s => Assert.Contains(s.Runbook, Runbooks.All));
        Assert.All(after.Signals, s => Assert.StartsWith("/", s.FixPage, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_month_past_its_grace_without_a_final_run_is_red_and_a_run_left_without_progress_is_stuck()
    {
        var (harness, lastMonth) = await BillingRunTests.StartWithSubscriptionsAsync();
        await using var _ = harness;
        // On the 1st of a month the harness is still within last month's grace: move past it and the 6 h more.
        var lateFrom = lastMonth.AddMonths(1).AddHours(24 + 6);
        if (harness.Clock.GetUtcNow() < lateFrom)
        {
            harness.Clock.Advance(lateFrom - harness.Clock.GetUtcNow());
        }

        var unbilled = await ReadAsync(harness);
        var run = await BillingRunTests.TriggerAsync(harness, lastMonth);
        var queued = await ReadAsync(harness);
        harness.Clock.Advance(TimeSpan.FromMinutes(ReadinessThresholdsDefault.StuckRunMinutes));
        var stuck = await ReadAsync(harness);

        Assert.Equal(SignalLevel.Red, Signal(unbilled, "billing.final_run").Level);
        Assert.Equal(SignalLevel.Green, Signal(queued, "billing.stuck_runs").Level);
        var signal = Signal(stuck, "billing.stuck_runs");
        Assert.Equal((SignalLevel.Red, $"/billing-runs/{run.Id}"), (signal.Level, signal.FixPage));
        Assert.Equal([run.Id.ToString()], signal.Offending);
        Assert.Equal(SignalLevel.Red, stuck.Overall);
    }

    [Fact]
    public async Task A_run_with_a_failed_customer_is_red_with_a_link_to_the_run()
    {
        var (harness, lastMonth) = await BillingRunTests.StartWithSubscriptionsAsync();
        await using var _ = harness;
        // The run's draft draws credit that was spent after the month ended: the ledger refuses it and the customer fails.
        var acme = await harness.QueryAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Customers, c => c.ExternalId == "cus_acme"));
        var writer = harness.Services.GetRequiredService<WalletWriter>();
        PostingContext Posting(string key, DateTimeOffset at) => new(harness.ProjectId, key, at, Domain.Audit.ActorKind.System, "test", "Test", key);
        await writer.GrantAsync(Posting("support", lastMonth.AddDays(1)), acme.Id, "USD", CreditSource.SupportGrant, 2000, null, null);
        await writer.ConsumeAsync(Posting("spent-elsewhere", harness.Clock.GetUtcNow()), acme.Id, "USD", 2000, null);
        var run = await BillingRunTests.TriggerAsync(harness, lastMonth);
        await BillingRunTests.RunJobAsync(harness, run.Id);

        var signal = Signal(await ReadAsync(harness), "billing.failed_runs");

        Assert.Equal((SignalLevel.Red, $"/billing-runs/{run.Id}", Runbooks.FailedBillingRun), (signal.Level, signal.FixPage, signal.Runbook));
        Assert.StartsWith("1 run has failed customers", signal.Figure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_waiting_approval_is_amber_and_turns_red_past_the_projects_threshold_which_only_an_admin_changes()
    {
        var (harness, _) = await BillingRunTests.StartWithSubscriptionsAsync();
        await using var __ = harness;
        var support = await harness.AddPersonAsync("support@example.test", ProjectRole.Support);
        var grant = await harness.RunAsync<RequestCreditGrant, RequestCreditGrant.Request, CreditGrantView>(support,
            new("cus_acme", "250.00", "USD", "goodwill", "Outage week", null));
        Assert.Equal(CreditGrantStatus.PendingApproval, grant.Value!.Status);

        var fresh = Signal(await ReadAsync(harness), "finance.approvals");
        var otherProject = await harness.RunAsync<GetReadiness, GetReadiness.Request, ReadinessReport>(await harness.AdminOfAnotherProjectAsync(), new());
        harness.Clock.Advance(TimeSpan.FromHours(25));
        var old = Signal(await ReadAsync(harness), "finance.approvals");
        var refused = await harness.RunAsync<ChangeReadinessThresholds, ChangeReadinessThresholds.Request, ReadinessThresholdsView>(support,
            Thresholds() with { ApprovalAgeHours = 48 });
        var invalid = await harness.RunAsync<ChangeReadinessThresholds, ChangeReadinessThresholds.Request, ReadinessThresholdsView>(harness.Admin,
            Thresholds() with { ApprovalAgeHours = 0 });
        var changed = await harness.RunAsync<ChangeReadinessThresholds, ChangeReadinessThresholds.Request, ReadinessThresholdsView>(harness.Admin,
            Thresholds() with { ApprovalAgeHours = 48 });
        var relaxed = await ReadAsync(harness);

        Assert.Equal((SignalLevel.Amber, "/credits"), (fresh.Level, fresh.FixPage));
        Assert.Equal("1 credit grant; oldest waiting under a minute", fresh.Figure);
        Assert.Equal(SignalLevel.Green, Signal(otherProject.Value!, "finance.approvals").Level);
        Assert.Equal(SignalLevel.Red, old.Level);
        Assert.Equal("1 credit grant; oldest waiting 25 h 0 min", old.Figure);
        Assert.Equal(UseCaseStatus.Forbidden, refused.Status);
        Assert.Equal(UseCaseStatus.Invalid, invalid.Status);
        Assert.True(changed.Succeeded, changed.Message);
        Assert.Equal(SignalLevel.Amber, Signal(relaxed, "finance.approvals").Level);
        Assert.Equal(48, relaxed.Thresholds.ApprovalAgeHours);
        Assert.Equal(1, await harness.QueryAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.AuditEntries,
            a => a.Action == "project.readiness_thresholds_changed")));
    }

    private static ChangeReadinessThresholds.Request Thresholds()
    {
        var d = ReadinessThresholdsView.Of(Domain.Operations.ReadinessThresholds.Default);
        return new(d.StuckRunMinutes, d.ApprovalAgeHours, d.LateEventsRed, d.FinalRunLateHours, d.ReconciliationAgeHours, d.WebhookSilenceHours,
            d.FailedPaymentsRed, d.IntegrityCheckAgeHours, d.DiskFreeMegabytes);
    }

    private static class ReadinessThresholdsDefault
    {
        public const int StuckRunMinutes = Domain.Operations.ReadinessThresholds.DefaultStuckRunMinutes;
    }

    internal static async Task<ReadinessReport> ReadAsync(UseCaseHarness harness)
    {
        var result = await harness.RunAsync<GetReadiness, GetReadiness.Request, ReadinessReport>(harness.Admin, new());
        Assert.True(result.Succeeded, result.Message);
        return result.Value!;
    }

    internal static ReadinessSignal Signal(ReadinessReport report, string key) => Assert.Single(report.Signals, s => s.Key == key);
}
