using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Audit;
using Neruba.Infrastructure.Persistence;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Audit;

/// <summary>Writes the audit record for a refused page or request, outside any use case.</summary>
public sealed class AccessDenials(IDbContextFactory<NerubaDbContext> dbFactory, TimeProvider clock)
{
    public async Task RecordAsync(Actor actor, string targetType, string target, string reason, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.AuditEntries.Add(UseCaseContext.CreateAuditEntry(actor, "access.denied", AuditOutcome.Denied, targetType, target, null, null, reason,
            clock.GetUtcNow(), UseCaseRunner.CurrentCorrelationId()));
        await db.SaveChangesAsync(cancellationToken);
    }
}
