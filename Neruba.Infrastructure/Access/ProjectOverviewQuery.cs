using Microsoft.EntityFrameworkCore;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Infrastructure.Access;

public sealed record ProjectOverview(Guid ProjectId, string Name, string DefaultCurrency, string TimeZone, int Customers, int Members);

/// <summary>The figures on the console's overview page for one project.</summary>
public sealed class ProjectOverviewQuery(IDbContextFactory<NerubaDbContext> dbFactory)
{
    public async Task<ProjectOverview?> GetAsync(Guid projectId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var project = await db.Projects.AsNoTracking().FirstOrDefaultAsync(p => p.Id == projectId, cancellationToken);
        if (project is null)
        {
            return null;
        }

        var customers = await db.Customers.CountAsync(c => c.ProjectId == projectId, cancellationToken);
        var members = await db.ProjectMemberships.CountAsync(m => m.ProjectId == projectId, cancellationToken);
        return new ProjectOverview(project.Id, project.Name, project.DefaultCurrency, project.TimeZone, customers, members);
    }
}
