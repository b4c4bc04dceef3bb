using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Infrastructure.Ledger.Integrity;

/// <summary>
/// The money-integrity check outside a console request: the recurring job (every project, hourly) and the operator command line
/// (<c>verify-ledger</c>). Each project is checked and recorded in its own save, so one broken project never hides another's result.
/// </summary>
public sealed partial class LedgerIntegrity(IDbContextFactory<NerubaDbContext> dbFactory, TimeProvider clock, ILogger<LedgerIntegrity> logger)
{
    public const string RecurringJobId = "ledger-integrity";
    public const string Schedule = "23 * * * *";

    /// <summary>Passed checks older than this are pruned by the job; failed and errored ones are kept as evidence.</summary>
    public static readonly TimeSpan KeepPassedFor = TimeSpan.FromDays(30);

    public async Task<LedgerIntegrityResult> CheckProjectAsync(Guid projectId, string trigger, string requestedByName, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var result = await LedgerIntegrityCheck.RunAsync(db, projectId, trigger, requestedByName, clock.GetUtcNow, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        if (!result.Passed)
        {
            LogProblems(projectId, result.Record.Status.ToString(), result.Record.ProblemCount, result.Record.Error);
        }

        return result;
    }

    /// <summary>Checks every project (or the ones named), in name order.</summary>
    public async Task<IReadOnlyList<(string ProjectName, LedgerIntegrityResult Result)>> CheckProjectsAsync(string trigger, string requestedByName,
        IReadOnlyCollection<Guid>? onlyProjects, CancellationToken cancellationToken)
    {
        List<(Guid Id, string Name)> projects;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            projects = (await db.Projects.AsNoTracking().Select(p => new { p.Id, p.Name }).ToListAsync(cancellationToken))
                .Where(p => onlyProjects is null || onlyProjects.Contains(p.Id))
                .OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => (p.Id, p.Name)).ToList();
        }

        var results = new List<(string, LedgerIntegrityResult)>();
        foreach (var (id, name) in projects)
        {
            results.Add((name, await CheckProjectAsync(id, trigger, requestedByName, cancellationToken)));
        }

        return results;
    }

    [AutomaticRetry(Attempts = 0)]
    public async Task RunScheduledAsync(CancellationToken cancellationToken)
    {
        await CheckProjectsAsync(LedgerIntegrityTriggers.Schedule, "Neruba", null, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var before = clock.GetUtcNow() - KeepPassedFor;
        await db.LedgerIntegrityChecks.Where(c => c.Status == LedgerIntegrityStatus.Passed && c.StartedAt < before).ExecuteDeleteAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Ledger integrity check of project {ProjectId}: {Status}, {Problems} problem(s). {Error}")]
    private partial void LogProblems(Guid projectId, string status, int problems, string error);
}
