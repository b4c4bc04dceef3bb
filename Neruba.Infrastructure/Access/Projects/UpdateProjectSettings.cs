using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Access.Projects;

/// <summary>
/// An admin changes the current project's name, default currency, time zone, grace period, credit controls (threshold, window, cap),
/// correction-approval threshold or the seller block printed on its documents.
/// </summary>
public sealed class UpdateProjectSettings(Metering.MeteringCatalog catalog) : UseCase<ProjectSettingsInput, ProjectView>
{
    public override AccessRule Access { get; } = new(Permission.ManageProject);

    public override ValidationErrors Validate(ProjectSettingsInput request) => ProjectSettingsRules.Validate(request);

    public override async Task<UseCaseResult<ProjectView>> HandleAsync(UseCaseContext context, ProjectSettingsInput request, CancellationToken cancellationToken)
    {
        var project = await context.Db.Projects.SingleAsync(p => p.Id == context.ProjectId, cancellationToken);
        var before = ProjectView.From(project).ForAudit();
        project.ChangeSettings(request.Name!, request.DefaultCurrency!, request.TimeZone!.Trim(), ProjectSettingsRules.ParseThreshold(request, out _)!.Value);
        project.ChangeUsageGrace(request.UsageGraceHours ?? project.UsageGraceHours);
        project.ChangeCreditControls(request.CreditApprovalWindowHours ?? project.CreditApprovalWindowHours,
            request.MaxCreditGrant is null ? Math.Max(project.MaxCreditGrantMinor, project.CreditApprovalThresholdMinor) : ProjectSettingsRules.ParseMaxGrant(request, out _)!.Value);
        ProjectSettingsRules.ApplyCorrections(project, request);
        var view = ProjectView.From(project);
        if (view.ForAudit().Equals(before))
        {
            // Saving the form unchanged is not an event worth an audit record.
            return UseCaseResult<ProjectView>.Ok(view);
        }

        context.Audit("project.settings_changed", "project", project.Id.ToString(), before, view.ForAudit());
        catalog.Forget(project.Id);
        return UseCaseResult<ProjectView>.Ok(view);
    }
}

/// <summary>Reads the current project's settings.</summary>
public sealed class GetProjectSettings : UseCase<GetProjectSettings.Request, ProjectView>
{
    public sealed record Request;

    public override AccessRule Access { get; } = new(Permission.ViewConsole);

    public override async Task<UseCaseResult<ProjectView>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var project = await context.Db.Projects.AsNoTracking().SingleAsync(p => p.Id == context.ProjectId, cancellationToken);
        return UseCaseResult<ProjectView>.Ok(ProjectView.From(project));
    }
}
