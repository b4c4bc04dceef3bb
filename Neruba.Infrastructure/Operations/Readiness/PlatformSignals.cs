using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Neruba.Domain.Access;
using Neruba.Infrastructure.Configuration;
using Neruba.Infrastructure.Ledger.Integrity;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Infrastructure.Operations.Readiness;

/// <summary>
/// Platform: the same checks as <c>/health/ready</c> (database migrated, job server heartbeat, Data Protection keys), Stripe and its webhooks,
/// the data folder's free disk (embedded mode), and money integrity: the last ledger check.
/// </summary>
internal static class PlatformSignals
{
    public static async Task<IReadOnlyList<ReadinessSignal>> ReadAsync(HealthCheckService health, NerubaSettings settings, NerubaDbContext db, Project project,
        DateTimeOffset now, bool stripeConfigured, CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(check => check.Tags.Contains(NerubaInfrastructureRegistration.ReadyTag), cancellationToken);
        return
        [
            Health(report, "database", "Database reachable and migrated", "/operations/jobs", "Jobs"),
            Health(report, "jobs", "Job server heartbeat", "/operations/jobs", "Jobs"),
            Health(report, "keys", "Data Protection keys protected", "/readiness", "Readiness"),
            Disk(settings, project.Readiness.DiskFreeMegabytes),
            await StripeAsync(db, project, now, stripeConfigured, cancellationToken),
        ];
    }

    private static ReadinessSignal Health(HealthReport report, string name, string title, string fixPage, string fixLabel)
    {
        var entry = report.Entries.TryGetValue(name, out var found) ? found : new HealthReportEntry(HealthStatus.Unhealthy, "Not checked.", TimeSpan.Zero, null, null);
        var level = entry.Status switch { HealthStatus.Healthy => SignalLevel.Green, HealthStatus.Degraded => SignalLevel.Amber, _ => SignalLevel.Red };
        return new ReadinessSignal($"platform.{name}", ReadinessArea.Platform, title, level, entry.Description ?? entry.Status.ToString(), -1,
            "Healthy is green, degraded amber, unhealthy red (as /health/ready)", fixPage, fixLabel, Runbooks.PlatformHealth, []);
    }

    /// <summary>Embedded mode keeps the database, its write-ahead log and the backups in the data folder: a full disk stops billing.</summary>
    private static ReadinessSignal Disk(NerubaSettings settings, int amberMegabytes)
    {
        if (!settings.IsEmbedded)
        {
            return new ReadinessSignal("platform.disk", ReadinessArea.Platform, "Data folder disk space", SignalLevel.Off, "Server mode: the database server's own",
                -1, "Embedded mode only", "/readiness", "Readiness", Runbooks.RestoreFromBackup, []);
        }

        long freeMegabytes;
        try
        {
            freeMegabytes = new DriveInfo(settings.DataDirectory).AvailableFreeSpace / (1024 * 1024);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return new ReadinessSignal("platform.disk", ReadinessArea.Platform, "Data folder disk space", SignalLevel.Red,
                $"Cannot read the free space of {settings.DataDirectory}: {exception.Message}", -1, $"Below {amberMegabytes} MB amber", "/readiness", "Readiness",
                Runbooks.RestoreFromBackup, []);
        }

        var level = freeMegabytes < amberMegabytes / 4 ? SignalLevel.Red : freeMegabytes < amberMegabytes ? SignalLevel.Amber : SignalLevel.Green;
        return new ReadinessSignal("platform.disk", ReadinessArea.Platform, "Data folder disk space", level,
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{freeMegabytes:N0} MB free under {settings.DataDirectory}"), freeMegabytes,
            $"Below {amberMegabytes:N0} MB amber, below {amberMegabytes / 4:N0} MB red", "/readiness", "Readiness", Runbooks.RestoreFromBackup, []);
    }

    private static async Task<ReadinessSignal> StripeAsync(NerubaDbContext db, Project project, DateTimeOffset now, bool configured, CancellationToken cancellationToken)
    {
        if (!configured)
        {
            return new ReadinessSignal("platform.stripe", ReadinessArea.Platform, "Stripe and its webhooks", SignalLevel.Off,
                "Stripe is not configured: payments are recorded by hand", -1, "Configured projects only", "/settings/payments", "Payment settings",
                Runbooks.WebhookOutage, []);
        }

        var last = await db.StripeEvents.Where(e => e.ProjectId == project.Id).MaxAsync(e => (DateTimeOffset?)e.ReceivedAt, cancellationToken);
        var silentAfter = TimeSpan.FromHours(project.Readiness.WebhookSilenceHours);
        var level = last is null || now - last.Value >= silentAfter ? SignalLevel.Amber : SignalLevel.Green;
        return new ReadinessSignal("platform.stripe", ReadinessArea.Platform, "Stripe and its webhooks", level,
            last is null ? "Configured; no webhook received yet" : $"Configured; last webhook {ReadinessWords.Age(now - last.Value)} ago",
            last is null ? -1 : (long)(now - last.Value).TotalMinutes, $"No webhook for {project.Readiness.WebhookSilenceHours} h is amber",
            "/payments", "Payments and webhooks", Runbooks.WebhookOutage, []);
    }

    public static async Task<ReadinessSignal> IntegrityAsync(NerubaDbContext db, Project project, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var last = await db.LedgerIntegrityChecks.AsNoTracking().Where(c => c.ProjectId == project.Id).OrderByDescending(c => c.StartedAt)
            .FirstOrDefaultAsync(cancellationToken);
        var maxAge = TimeSpan.FromHours(project.Readiness.IntegrityCheckAgeHours);
        var (level, figure) = last switch
        {
            null => (SignalLevel.Amber, "Never checked"),
            { Status: LedgerIntegrityStatus.Failed } => (SignalLevel.Red,
                $"{ReadinessWords.Count(last.ProblemCount, "problem", "problems")} found {ReadinessWords.Age(now - last.StartedAt)} ago"),
            { Status: LedgerIntegrityStatus.Errored } => (SignalLevel.Red, $"The check could not finish {ReadinessWords.Age(now - last.StartedAt)} ago: {last.Error}"),
            _ when now - last.StartedAt >= maxAge => (SignalLevel.Amber, $"Passed, but {ReadinessWords.Age(now - last.StartedAt)} ago"),
            _ => (SignalLevel.Green, $"Passed {ReadinessWords.Age(now - last.StartedAt)} ago: {last.EntriesChecked:N0} entries, {last.WalletsChecked:N0} wallets, "
                + $"{last.InvoicesChecked:N0} invoices"),
        };
        var offending = last is null ? [] : LedgerIntegrityCheck.ProblemsOf(last).Take(ReadinessSignal.MaxOffending).Select(p => p.Id).ToList();
        return new ReadinessSignal("integrity.ledger", ReadinessArea.MoneyIntegrity, "Ledger integrity", level, figure, last?.ProblemCount ?? -1,
            $"Problems are red; no check for {project.Readiness.IntegrityCheckAgeHours} h amber", "/readiness#integrity", "Check now",
            Runbooks.LedgerIntegrity, offending);
    }
}
