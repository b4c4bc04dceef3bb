using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Neruba.Domain.Audit;
using Neruba.Infrastructure.Metering;
using Neruba.Infrastructure.UseCases.Idempotency;

namespace Neruba.Infrastructure.UseCases;

/// <summary>
/// A use case that changes anything must say so in the audit log, in the same save. The runner checks it for
/// every use case, so a new one cannot forget: the save is refused and nothing lands.
/// </summary>
public static class AuditRequirement
{
    /// <summary>Rows that are records in their own right, not changes to money or access.</summary>
    private static readonly HashSet<Type> Exempt =
    [
        typeof(AuditEntry),
        typeof(IdempotencyRecord),

        // Usage events carry who sent them and when; the ingest endpoint is their log.
        typeof(UsageEventRecord),
    ];

    /// <exception cref="UnauditedChangeException">The tracker holds a change but no new audit record.</exception>
    public static void Check(ChangeTracker tracker, string useCaseName)
    {
        var changed = tracker.Entries()
            .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted && !Exempt.Contains(e.Entity.GetType()))
            .Select(e => e.Entity.GetType().Name)
            .Distinct()
            .ToList();
        if (changed.Count == 0 || tracker.Entries<AuditEntry>().Any(e => e.State == EntityState.Added))
        {
            return;
        }

        throw new UnauditedChangeException(
            $"{useCaseName} changed {string.Join(", ", changed)} without an audit record; nothing was saved. Call context.Audit(...) in the handler.");
    }
}

/// <summary>A programming error: a use case tried to change data without writing its audit record.</summary>
public sealed class UnauditedChangeException(string message) : InvalidOperationException(message);
