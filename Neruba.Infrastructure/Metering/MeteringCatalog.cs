using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Metering;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Infrastructure.Metering;

/// <summary>
/// What the ingest path looks up for every event, kept in memory: customers by external id (a mapping that
/// never changes once it exists) and metrics by code (refreshed every 30 seconds, and at once on this node
/// when they change).
/// </summary>
public sealed class MeteringCatalog(IDbContextFactory<NerubaDbContext> dbFactory, TimeProvider clock)
{
    private static readonly TimeSpan Freshness = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<(Guid Project, string ExternalId), Guid> _customers = new();
    private readonly ConcurrentDictionary<Guid, ProjectMetering> _projects = new();

    public sealed record ProjectMetering(IReadOnlyDictionary<string, BillableMetric> Metrics, DateTimeOffset LoadedAt);

    public bool TryGetCustomer(Guid projectId, string externalId, out Guid customerId) => _customers.TryGetValue((projectId, externalId), out customerId);

    /// <summary>Loads the customers a request names that are not cached yet, in one query per 500 ids.</summary>
    public async Task LoadCustomersAsync(Guid projectId, IEnumerable<string> externalIds, CancellationToken cancellationToken)
    {
        var missing = externalIds.Where(id => !_customers.ContainsKey((projectId, id))).Distinct(StringComparer.Ordinal).ToList();
        if (missing.Count == 0)
        {
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        foreach (var chunk in missing.Chunk(500))
        {
            var found = await db.Customers.Where(c => c.ProjectId == projectId && chunk.Contains(c.ExternalId))
                .Select(c => new { c.ExternalId, c.Id }).ToListAsync(cancellationToken);
            foreach (var customer in found)
            {
                _customers[(projectId, customer.ExternalId)] = customer.Id;
            }
        }
    }

    public async ValueTask<Guid?> CustomerAsync(Guid projectId, string externalId, CancellationToken cancellationToken)
    {
        if (_customers.TryGetValue((projectId, externalId), out var id))
        {
            return id;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var found = await db.Customers.Where(c => c.ProjectId == projectId && c.ExternalId == externalId).Select(c => (Guid?)c.Id).FirstOrDefaultAsync(cancellationToken);
        if (found is { } customerId)
        {
            _customers[(projectId, externalId)] = customerId;
        }

        return found;
    }

    public async ValueTask<ProjectMetering> ProjectAsync(Guid projectId, CancellationToken cancellationToken)
    {
        if (_projects.TryGetValue(projectId, out var cached) && clock.GetUtcNow() - cached.LoadedAt < Freshness)
        {
            return cached;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var metrics = await db.BillableMetrics.AsNoTracking().Where(m => m.ProjectId == projectId).ToListAsync(cancellationToken);
        var loaded = new ProjectMetering(metrics.ToDictionary(m => m.Code, StringComparer.Ordinal), clock.GetUtcNow());
        _projects[projectId] = loaded;
        return loaded;
    }

    /// <summary>Drops the project's metrics so the next event reads them fresh.</summary>
    public void Forget(Guid projectId) => _projects.TryRemove(projectId, out _);
}
