using System.Text;
using Neruba.Domain.Access;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Access.Projects;

/// <summary>An admin creates a new project and becomes its first Admin.</summary>
public sealed class CreateProject : UseCase<ProjectSettingsInput, ProjectView>
{
    public override AccessRule Access { get; } = new(Permission.ManageProject);

    public override ValidationErrors Validate(ProjectSettingsInput request) => ProjectSettingsRules.Validate(request);

    public override Task<UseCaseResult<ProjectView>> HandleAsync(UseCaseContext context, ProjectSettingsInput request, CancellationToken cancellationToken)
    {
        var threshold = ProjectSettingsRules.ParseThreshold(request, out _)!.Value;
        var project = new Project(Guid.NewGuid(), request.Name!, Slugify(request.Name!), request.DefaultCurrency!.Trim().ToUpperInvariant(),
            request.TimeZone!.Trim(), context.Now, threshold);
        project.ChangeUsageGrace(request.UsageGraceHours ?? project.UsageGraceHours);
        project.ChangeCreditControls(request.CreditApprovalWindowHours ?? project.CreditApprovalWindowHours,
            request.MaxCreditGrant is null ? Math.Max(project.MaxCreditGrantMinor, threshold) : ProjectSettingsRules.ParseMaxGrant(request, out _)!.Value);
        ProjectSettingsRules.ApplyCorrections(project, request);
        context.Db.Projects.Add(project);
        context.Db.ProjectMemberships.Add(new ProjectMembership(Guid.NewGuid(), project.Id, context.Actor.Id, ProjectRole.Admin, context.Now));

        var view = ProjectView.From(project);
        context.Audit("project.created", "project", project.Id.ToString(), null, view.ForAudit());
        context.Audit("project.created", "project", project.Id.ToString(), null, view.ForAudit(), projectId: project.Id);
        return Task.FromResult(UseCaseResult<ProjectView>.Ok(view));
    }

    /// <summary>A readable, unique handle: the name's letters and digits plus a short random suffix.</summary>
    private static string Slugify(string name)
    {
        var slug = new StringBuilder();
        foreach (var c in name.Trim().ToLowerInvariant())
        {
            slug.Append(char.IsAsciiLetterOrDigit(c) ? c : '-');
        }

        var readable = string.Join('-', slug.ToString().Split('-', StringSplitOptions.RemoveEmptyEntries));
        readable = readable.Length > 40 ? readable[..40] : readable;
        return $"{(readable.Length == 0 ? "project" : readable)}-{Guid.NewGuid().ToString("N")[..6]}";
    }
}
