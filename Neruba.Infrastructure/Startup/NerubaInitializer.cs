using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Neruba.Domain.Access;
using Neruba.Infrastructure.Billing.Runs;
using Neruba.Infrastructure.Configuration;
using Neruba.Infrastructure.Credits;
using Neruba.Infrastructure.Persistence;

using Neruba.Infrastructure.UseCases.Idempotency;

namespace Neruba.Infrastructure.Startup;

/// <summary>
/// Runs once before the app serves requests: creates the data folder, applies migrations,
/// creates the first admin and, in embedded mode on first start (or when asked), the demo project.
/// </summary>
public sealed partial class NerubaInitializer(IServiceProvider services, NerubaSettings settings, TimeProvider clock, ILogger<NerubaInitializer> logger)
{
    public async Task InitializeAsync(bool seedDemoRequested, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NerubaDbContext>();
        var (isNewDatabase, _) = await MigrateAsync(db, cancellationToken);

        scope.ServiceProvider.GetRequiredService<IRecurringJobManager>().AddOrUpdate<CreditExpiryJob>(
            CreditExpiryJob.RecurringJobId, job => job.RunAsync(CancellationToken.None), CreditExpiryJob.Schedule);
        var recurring = scope.ServiceProvider.GetRequiredService<IRecurringJobManager>();
        recurring.AddOrUpdate<Ledger.Integrity.LedgerIntegrity>(Ledger.Integrity.LedgerIntegrity.RecurringJobId, job => job.RunScheduledAsync(CancellationToken.None),
            Ledger.Integrity.LedgerIntegrity.Schedule);
        recurring.AddOrUpdate<IdempotencyPruneJob>(IdempotencyPruneJob.RecurringJobId, job => job.RunAsync(CancellationToken.None), IdempotencyPruneJob.Schedule);
        recurring.AddOrUpdate<Payments.StripeRecoveryJob>(Payments.StripeRecoveryJob.RecurringJobId, job => job.RunAsync(CancellationToken.None),
            Payments.StripeRecoveryJob.Schedule);
        recurring.AddOrUpdate<Payments.Reconciliation.Reconciliations>(Payments.Reconciliation.Reconciliations.RecurringJobId,
            job => job.RunDailyAsync(CancellationToken.None), Payments.Reconciliation.Reconciliations.Schedule);
        scope.ServiceProvider.GetRequiredService<IBackgroundJobClient>()
            .Enqueue<Payments.StripeRecoveryJob>(job => job.RunAsync(true, CancellationToken.None));
        if (string.IsNullOrWhiteSpace(settings.BillingSchedule))
        {
            recurring.RemoveIfExists(BillingScheduler.RecurringJobId);
        }
        else
        {
            recurring.AddOrUpdate<BillingScheduler>(BillingScheduler.RecurringJobId, job => job.RunDueAsync(CancellationToken.None), settings.BillingSchedule);
        }

        await scope.ServiceProvider.GetRequiredService<BillingScheduler>().ResumeInterruptedAsync(cancellationToken);
        await scope.ServiceProvider.GetRequiredService<Metering.BackfillImportJob>().ResumeInterruptedAsync(cancellationToken);

        var bootstrap = scope.ServiceProvider.GetRequiredService<BootstrapAdmin>();
        var createdAdmin = await bootstrap.EnsureAsync(cancellationToken);
        await bootstrap.EnsureSystemAdminAsync(expected: createdAdmin is not null, cancellationToken);

        var seedDemo = seedDemoRequested || settings.SeedDemo || (settings.IsEmbedded && isNewDatabase);
        var firstAdminId = createdAdmin?.Id ?? await FirstUserIdAsync(db, cancellationToken);
        if (seedDemo && firstAdminId is not null)
        {
            await scope.ServiceProvider.GetRequiredService<DemoSeed>().SeedAsync(firstAdminId, cancellationToken);
        }
        else if (createdAdmin is not null && !await db.Projects.AnyAsync(cancellationToken))
        {
            // Server mode without demo data: the first admin still needs a project to act in.
            await CreateDefaultProjectAsync(db, createdAdmin.Id, cancellationToken);
        }
    }

    /// <summary>The operator command <c>migrate</c>: the data folder and the schema, nothing else (no admin, no demo, no jobs).</summary>
    /// <returns>The migrations applied now (none when the database was up to date).</returns>
    public async Task<IReadOnlyList<string>> MigrateOnlyAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        return (await MigrateAsync(scope.ServiceProvider.GetRequiredService<NerubaDbContext>(), cancellationToken)).Applied;
    }

    /// <summary>Creates the data folder (embedded), waits for the database (server), backs up before an upgrade and applies the migrations.</summary>
    private async Task<(bool IsNewDatabase, IReadOnlyList<string> Applied)> MigrateAsync(NerubaDbContext db, CancellationToken cancellationToken)
    {
        if (settings.IsEmbedded)
        {
            Directory.CreateDirectory(settings.DataDirectory);
            if (!OperatingSystem.IsWindows())
            {
                // The database holds password and key hashes and the ledger: only the account the console runs as may open it.
                File.SetUnixFileMode(settings.DataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        LogStarting(settings.Mode, settings.IsEmbedded ? settings.DataDirectory : "(SQL Server)");
        if (clock is ShiftedClock shifted)
        {
            LogClockShifted(ShiftedClock.SettingKey, shifted.Start, shifted.GetUtcNow() - TimeProvider.System.GetUtcNow());
        }

        await DatabaseStartup.WaitUntilReachableAsync(settings, logger, cancellationToken);
        var isNewDatabase = !(await db.Database.GetAppliedMigrationsAsync(cancellationToken)).Any();
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (settings.IsEmbedded && !isNewDatabase)
        {
            await BackUpBeforeUpgradeAsync(db, pending, cancellationToken);
        }

        await db.Database.MigrateAsync(cancellationToken);
        if (settings.IsEmbedded)
        {
            // Readers never wait for the writer in WAL mode; the setting persists in the file.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        if (!isNewDatabase && await Metering.EventDedupKeyBackfill.RunAsync(db, cancellationToken) is > 0 and var keyed)
        {
            LogDedupKeysBackfilled(keyed);
        }

        return (isNewDatabase, pending);
    }

    /// <summary>
    /// Copies an embedded database aside before migrations change it: a SQLite table rebuild cannot run in a transaction,
    /// so a process killed mid-upgrade could leave the file half-migrated; the copy is the way back.
    /// </summary>
    private async Task BackUpBeforeUpgradeAsync(NerubaDbContext db, List<string> pending, CancellationToken cancellationToken)
    {
        if (pending.Count == 0)
        {
            return;
        }

        var folder = Path.Combine(settings.DataDirectory, "backups");
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, $"neruba-before-{pending[^1]}-{clock.GetUtcNow():yyyyMMddHHmmss}.db");
        // VACUUM INTO writes a consistent copy of the open file (WAL included); the path is built here, not taken from input.
#pragma warning disable EF1002
        await db.Database.ExecuteSqlRawAsync($"VACUUM INTO '{file.Replace("'", "''", StringComparison.Ordinal)}'", cancellationToken);
#pragma warning restore EF1002
        var names = string.Join(", ", pending);
        LogUpgrading(pending.Count, names, file);
    }

    private static Task<string?> FirstUserIdAsync(NerubaDbContext db, CancellationToken cancellationToken) =>
        db.Users.OrderBy(u => u.CreatedAt).Select(u => u.Id).FirstOrDefaultAsync(cancellationToken);

    private async Task CreateDefaultProjectAsync(NerubaDbContext db, string adminId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var project = new Project(Guid.NewGuid(), "Default project", "default", "USD", "UTC", now);
        db.Projects.Add(project);
        db.ProjectMemberships.Add(new ProjectMembership(Guid.NewGuid(), project.Id, adminId, ProjectRole.Admin, now));
        await db.SaveChangesAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Upgrading the database: {Count} migration(s) to apply ({Migrations}). A copy of the database before the upgrade is at {Backup}.")]
    private partial void LogUpgrading(int count, string migrations, string backup);

    [LoggerMessage(Level = LogLevel.Information, Message = "Neruba starting in {Mode} mode; data: {DataDirectory}")]
    private partial void LogStarting(string mode, string dataDirectory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "THE CLOCK IS SHIFTED by {Setting}: it started at {Start:O} ({Shift} from real time). This is for test harnesses only; never set it in production")]
    private partial void LogClockShifted(string setting, DateTimeOffset start, TimeSpan shift);

    [LoggerMessage(Level = LogLevel.Information, Message = "Gave {Events} usage events stored before dedup keys their key.")]
    private partial void LogDedupKeysBackfilled(long events);
}
