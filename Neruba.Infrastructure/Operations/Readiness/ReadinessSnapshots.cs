using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Neruba.Infrastructure.Configuration;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Infrastructure.Operations.Readiness;

/// <summary>Every project's readiness, read outside a request (for metrics): the same signals the page shows, per project slug.</summary>
public sealed class ReadinessSnapshots(IDbContextFactory<NerubaDbContext> dbFactory, HealthCheckService health, NerubaSettings settings, TimeProvider clock)
{
    public async Task<IReadOnlyList<(string ProjectSlug, ReadinessReport Report)>> ReadAllAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var projects = await db.Projects.AsNoTracking().OrderBy(p => p.Slug).Select(p => new { p.Id, p.Slug }).ToListAsync(cancellationToken);
        var reports = new List<(string, ReadinessReport)>();
        foreach (var project in projects)
        {
            if (await GetReadiness.ReadAsync(health, settings, db, project.Id, clock.GetUtcNow(), cancellationToken) is { } report)
            {
                reports.Add((project.Slug, report));
            }
        }

        return reports;
    }
}
