using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Neruba.Domain.Access;
using Neruba.Infrastructure.Configuration;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Operations.Readiness;

/// <summary>
/// The readiness page, the <c>GET /api/v1/readiness</c> answer and the metrics: every signal of one project, judged against its thresholds.
/// Read-only, a fixed number of queries.
/// </summary>
public sealed class GetReadiness(HealthCheckService health, NerubaSettings settings) : UseCase<GetReadiness.Request, ReadinessReport>
{
    public sealed record Request;

    public override AccessRule Access { get; } = new(Permission.ViewConsole, ApiScopes.BillingRead);

    public override async Task<UseCaseResult<ReadinessReport>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken) =>
        await ReadAsync(health, settings, context.Db, context.ProjectId, context.Now, cancellationToken) is { } report
            ? UseCaseResult<ReadinessReport>.Ok(report)
            : UseCaseResult<ReadinessReport>.NotFound("No such project.");

    internal static async Task<ReadinessReport?> ReadAsync(HealthCheckService health, NerubaSettings settings, Persistence.NerubaDbContext db, Guid projectId,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var project = await db.Projects.AsNoTracking().FirstOrDefaultAsync(p => p.Id == projectId, cancellationToken);
        if (project is null)
        {
            return null;
        }

        var stripe = await db.StripeAccounts.AnyAsync(a => a.ProjectId == projectId, cancellationToken);
        var signals = new List<ReadinessSignal>();
        signals.AddRange(await PlatformSignals.ReadAsync(health, settings, db, project, now, stripe, cancellationToken));
        signals.Add(await PlatformSignals.IntegrityAsync(db, project, now, cancellationToken));
        signals.AddRange(await BillingSignals.ReadAsync(db, project, now, cancellationToken));
        signals.AddRange(await FinanceSignals.ReadAsync(db, project, now, stripe, cancellationToken));
        return new ReadinessReport(projectId, now, signals, ReadinessThresholdsView.Of(project.Readiness));
    }
}
