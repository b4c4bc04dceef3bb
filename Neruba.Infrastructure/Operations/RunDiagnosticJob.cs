using Neruba.Domain.Access;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Operations;

/// <summary>Starts the diagnostic job; the runner checks the person's role at the moment of the click.</summary>
public sealed class RunDiagnosticJob(JobMonitor jobs) : UseCase<RunDiagnosticJob.Request, string>
{
    public sealed record Request;

    public override AccessRule Access { get; } = new(Permission.RunJobs);

    public override Task<UseCaseResult<string>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken) =>
        Task.FromResult(UseCaseResult<string>.Ok(jobs.EnqueueDiagnostic(context.Actor.Name)));
}
