using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Billing;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Infrastructure.Billing.Runs;

/// <summary>Whether a month of a project is billed, and whether it has anything to bill: asked by the schedule and by the readiness page alike.</summary>
internal static class FinalRunQueries
{
    /// <summary>A final run (scheduled or started by hand) over the whole project exists for the month, whatever its outcome.</summary>
    public static Task<bool> HasFinalRunAsync(NerubaDbContext db, Guid projectId, DateTimeOffset monthStart, CancellationToken cancellationToken) =>
        db.BillingRuns.AnyAsync(r => r.ProjectId == projectId && r.PeriodStart == monthStart && r.CustomerId == null
            && (r.Kind == BillingRunKind.Scheduled || r.Kind == BillingRunKind.Manual), cancellationToken);

    public static Task<bool> HasSubscriptionsAsync(NerubaDbContext db, Guid projectId, DateSpan month, CancellationToken cancellationToken) =>
        db.Subscriptions.AnyAsync(s => s.ProjectId == projectId && s.StartsAt < month.End && (s.EndsAt == null || s.EndsAt > month.Start), cancellationToken);
}
