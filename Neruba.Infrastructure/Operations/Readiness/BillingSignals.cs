using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Domain.Billing;
using Neruba.Infrastructure.Billing.Runs;
using Neruba.Infrastructure.Metering;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Infrastructure.Operations.Readiness;

/// <summary>Billing: runs that failed or stopped moving, late events waiting for a rerun, a month left without its final run, failed imports.</summary>
internal static class BillingSignals
{
    public static async Task<IReadOnlyList<ReadinessSignal>> ReadAsync(NerubaDbContext db, Project project, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var t = project.Readiness;
        return
        [
            await FailedRunsAsync(db, project.Id, cancellationToken),
            await StuckRunsAsync(db, project.Id, now, TimeSpan.FromMinutes(t.StuckRunMinutes), cancellationToken),
            await LateEventsAsync(db, project.Id, t.LateEventsRed, cancellationToken),
            await FinalRunAsync(db, project, now, cancellationToken),
            await ImportsAsync(db, project.Id, now, cancellationToken),
        ];
    }

    /// <summary>A run whose customers failed and were not retried since (a retry that succeeds moves the run to Succeeded).</summary>
    private static async Task<ReadinessSignal> FailedRunsAsync(NerubaDbContext db, Guid projectId, CancellationToken cancellationToken)
    {
        var failed = await db.BillingRuns.AsNoTracking()
            .Where(r => r.ProjectId == projectId && r.Status == BillingRunStatus.CompletedWithFailures && r.Kind != BillingRunKind.DryRun && r.Kind != BillingRunKind.Rerun)
            .OrderByDescending(r => r.CreatedAt).Select(r => new { r.Id, r.PeriodStart }).ToListAsync(cancellationToken);
        return new ReadinessSignal("billing.failed_runs", ReadinessArea.Billing, "Failed billing runs",
            failed.Count == 0 ? SignalLevel.Green : SignalLevel.Red,
            failed.Count == 0 ? "No run has customers left failed" : ReadinessWords.Count(failed.Count, "run has failed customers", "runs have failed customers")
                + $" (newest {failed[0].PeriodStart:yyyy-MM})",
            failed.Count, "Any failed customer not yet retried is red", failed.Count == 0 ? "/billing-runs" : $"/billing-runs/{failed[0].Id}",
            "Billing runs", Runbooks.FailedBillingRun, failed.Take(ReadinessSignal.MaxOffending).Select(r => r.Id.ToString()).ToList());
    }

    /// <summary>A run queued or running whose last finished customer (or its start) is older than the threshold: its node likely died or hangs.</summary>
    private static async Task<ReadinessSignal> StuckRunsAsync(NerubaDbContext db, Guid projectId, DateTimeOffset now, TimeSpan stuckAfter,
        CancellationToken cancellationToken)
    {
        var active = await db.BillingRuns.AsNoTracking()
            .Where(r => r.ProjectId == projectId && (r.Status == BillingRunStatus.Queued || r.Status == BillingRunStatus.Running))
            .Select(r => new
            {
                r.Id,
                r.CreatedAt,
                r.StartedAt,
                LastProgress = db.BillingRunItems.Where(i => i.RunId == r.Id && i.FinishedAt != null).Max(i => i.FinishedAt),
            })
            .ToListAsync(cancellationToken);
        var stuck = active.Select(r => new { r.Id, Since = r.LastProgress ?? r.StartedAt ?? r.CreatedAt }).Where(r => now - r.Since >= stuckAfter)
            .OrderBy(r => r.Since).ToList();
        var figure = stuck.Count > 0
            ? ReadinessWords.Count(stuck.Count, "run", "runs") + $" without progress for {ReadinessWords.Age(now - stuck[0].Since)}"
            : active.Count > 0 ? ReadinessWords.Count(active.Count, "run under way, moving", "runs under way, moving") : "No run under way";
        return new ReadinessSignal("billing.stuck_runs", ReadinessArea.Billing, "Stuck billing runs", stuck.Count > 0 ? SignalLevel.Red : SignalLevel.Green,
            figure, stuck.Count, $"No customer finished for {stuckAfter.TotalMinutes:0} min is red", stuck.Count > 0 ? $"/billing-runs/{stuck[0].Id}" : "/billing-runs",
            "Billing runs", Runbooks.StuckBillingRun, stuck.Take(ReadinessSignal.MaxOffending).Select(r => r.Id.ToString()).ToList());
    }

    private static async Task<ReadinessSignal> LateEventsAsync(NerubaDbContext db, Guid projectId, int red, CancellationToken cancellationToken)
    {
        var rows = await LateUsage.BacklogQuery(db, projectId).ToListAsync(cancellationToken);
        var events = rows.Sum(r => (long)r.LateEvents);
        var months = rows.OrderByDescending(r => r.PeriodStart).Select(r => $"{r.PeriodStart:yyyy-MM}: {r.LateEvents}").ToList();
        return new ReadinessSignal("billing.late_events", ReadinessArea.Billing, "Late-event backlog",
            events == 0 ? SignalLevel.Green : events >= red ? SignalLevel.Red : SignalLevel.Amber,
            events == 0 ? "No late events waiting" : ReadinessWords.Count(events, "late event", "late events") + " waiting for a rerun (" + string.Join(", ", months.Take(3)) + ")",
            events, $"Any is amber, {red:N0} or more red", "/usage", "Usage backlog", Runbooks.LateEventsAndReruns, months.Take(ReadinessSignal.MaxOffending).ToList());
    }

    /// <summary>The last ended month: past its grace the scheduled run should have started; hours later without one, billing is late.</summary>
    private static async Task<ReadinessSignal> FinalRunAsync(NerubaDbContext db, Project project, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var month = BillingCalendar.Month(BillingCalendar.MonthStartOf(now).AddMonths(-1));
        var due = month.End + TimeSpan.FromHours(project.UsageGraceHours);
        var late = due + TimeSpan.FromHours(project.Readiness.FinalRunLateHours);
        var billed = await FinalRunQueries.HasFinalRunAsync(db, project.Id, month.Start, cancellationToken);
        var hasSubscriptions = await FinalRunQueries.HasSubscriptionsAsync(db, project.Id, month, cancellationToken);
        var (level, figure) = (billed, hasSubscriptions) switch
        {
            (true, _) => (SignalLevel.Green, $"{month.Start:yyyy-MM} has its final run"),
            (false, false) => (SignalLevel.Green, $"Nothing to bill for {month.Start:yyyy-MM}"),
            _ when now < due => (SignalLevel.Green, $"{month.Start:yyyy-MM} is in its grace period until {due:yyyy-MM-dd HH:mm} UTC"),
            _ when now < late => (SignalLevel.Amber, $"{month.Start:yyyy-MM} has no final run yet, {ReadinessWords.Age(now - due)} past its grace"),
            _ => (SignalLevel.Red, $"{month.Start:yyyy-MM} has no final run, {ReadinessWords.Age(now - due)} past its grace"),
        };
        return new ReadinessSignal("billing.final_run", ReadinessArea.Billing, "Last month's final run", level, figure, level == SignalLevel.Green ? 0 : 1,
            $"Amber past end + {project.UsageGraceHours} h grace, red {project.Readiness.FinalRunLateHours} h later", "/billing-runs", "Start run",
            Runbooks.FailedBillingRun, []);
    }

    private static async Task<ReadinessSignal> ImportsAsync(NerubaDbContext db, Guid projectId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var since = now.AddDays(-7);
        var failed = await db.BackfillImports.AsNoTracking().Where(i => i.ProjectId == projectId && i.Status == BackfillStatus.Failed && i.CreatedAt >= since)
            .OrderByDescending(i => i.CreatedAt).Select(i => new { i.Id, i.FileName }).ToListAsync(cancellationToken);
        return new ReadinessSignal("billing.failed_imports", ReadinessArea.Billing, "Failed imports (7 days)", failed.Count == 0 ? SignalLevel.Green : SignalLevel.Amber,
            failed.Count == 0 ? "No import failed" : ReadinessWords.Count(failed.Count, "import failed", "imports failed") + $" (newest {failed[0].FileName})",
            failed.Count, "Any is amber", "/usage/imports", "Imports", Runbooks.LateEventsAndReruns,
            failed.Take(ReadinessSignal.MaxOffending).Select(i => i.Id.ToString()).ToList());
    }
}
