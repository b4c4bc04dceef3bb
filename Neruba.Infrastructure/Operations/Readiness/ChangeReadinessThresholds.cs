using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Domain.Operations;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Operations.Readiness;

/// <summary>An Admin sets where the project's readiness signals turn amber or red (Readiness → Thresholds). Audited with before and after.</summary>
public sealed class ChangeReadinessThresholds : UseCase<ChangeReadinessThresholds.Request, ReadinessThresholdsView>
{
    public sealed record Request(int StuckRunMinutes, int ApprovalAgeHours, int LateEventsRed, int FinalRunLateHours, int ReconciliationAgeHours,
        int WebhookSilenceHours, int FailedPaymentsRed, int IntegrityCheckAgeHours, int DiskFreeMegabytes);

    public override AccessRule Access { get; } = new(Permission.ManageProject);

    public override ValidationErrors Validate(Request request)
    {
        var errors = new ValidationErrors();
        Check(errors, nameof(Request.StuckRunMinutes), request.StuckRunMinutes, 1, 24 * 60, "minutes");
        Check(errors, nameof(Request.ApprovalAgeHours), request.ApprovalAgeHours, 1, 24 * 31, "hours");
        Check(errors, nameof(Request.LateEventsRed), request.LateEventsRed, 1, 100_000_000, "events");
        Check(errors, nameof(Request.FinalRunLateHours), request.FinalRunLateHours, 1, 24 * 31, "hours");
        Check(errors, nameof(Request.ReconciliationAgeHours), request.ReconciliationAgeHours, 1, 24 * 31, "hours");
        Check(errors, nameof(Request.WebhookSilenceHours), request.WebhookSilenceHours, 1, 24 * 31, "hours");
        Check(errors, nameof(Request.FailedPaymentsRed), request.FailedPaymentsRed, 1, 1_000_000, "failures");
        Check(errors, nameof(Request.IntegrityCheckAgeHours), request.IntegrityCheckAgeHours, 1, 24 * 31, "hours");
        Check(errors, nameof(Request.DiskFreeMegabytes), request.DiskFreeMegabytes, 1, 10_000_000, "MB");
        return errors;
    }

    private static void Check(ValidationErrors errors, string field, int value, int min, int max, string unit)
    {
        if (value < min || value > max)
        {
            errors.Add(field, $"Between {min:N0} and {max:N0} {unit}.");
        }
    }

    public override async Task<UseCaseResult<ReadinessThresholdsView>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var project = await context.Db.Projects.SingleAsync(p => p.Id == context.ProjectId, cancellationToken);
        var before = ReadinessThresholdsView.Of(project.Readiness);
        var after = new ReadinessThresholdsView(request.StuckRunMinutes, request.ApprovalAgeHours, request.LateEventsRed, request.FinalRunLateHours,
            request.ReconciliationAgeHours, request.WebhookSilenceHours, request.FailedPaymentsRed, request.IntegrityCheckAgeHours, request.DiskFreeMegabytes);
        if (after == before)
        {
            return UseCaseResult<ReadinessThresholdsView>.Ok(before);
        }

        project.ChangeReadinessThresholds(after.ToThresholds());
        context.Audit("project.readiness_thresholds_changed", "project", project.Id.ToString(), before, after);
        return UseCaseResult<ReadinessThresholdsView>.Ok(after);
    }
}

/// <summary>The thresholds as the form and the audit show them.</summary>
public sealed record ReadinessThresholdsView(int StuckRunMinutes, int ApprovalAgeHours, int LateEventsRed, int FinalRunLateHours, int ReconciliationAgeHours,
    int WebhookSilenceHours, int FailedPaymentsRed, int IntegrityCheckAgeHours, int DiskFreeMegabytes)
{
    public static ReadinessThresholdsView Of(ReadinessThresholds t) => new(t.StuckRunMinutes, t.ApprovalAgeHours, t.LateEventsRed, t.FinalRunLateHours,
        t.ReconciliationAgeHours, t.WebhookSilenceHours, t.FailedPaymentsRed, t.IntegrityCheckAgeHours, t.DiskFreeMegabytes);

    public ReadinessThresholds ToThresholds() => new(StuckRunMinutes, ApprovalAgeHours, LateEventsRed, FinalRunLateHours, ReconciliationAgeHours,
        WebhookSilenceHours, FailedPaymentsRed, IntegrityCheckAgeHours, DiskFreeMegabytes);
}
