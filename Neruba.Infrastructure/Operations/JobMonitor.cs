using Hangfire;
using Hangfire.States;

namespace Neruba.Infrastructure.Operations;

public sealed record JobStateChange(string State, DateTimeOffset At, string? Reason);

/// <summary>A job's current state and every state it passed through, oldest first.</summary>
public sealed record JobSnapshot(string JobId, string State, IReadOnlyList<JobStateChange> History)
{
    public bool IsFinished => State == SucceededState.StateName || State == FailedState.StateName || State == DeletedState.StateName;
}

/// <summary>Enqueues console-triggered jobs and reads their state, in product terms, from the job store.</summary>
public sealed class JobMonitor(JobStorage storage, IBackgroundJobClient jobs)
{
    public string EnqueueDiagnostic(string requestedBy) =>
        jobs.Enqueue<DiagnosticJob>(job => job.RunAsync(requestedBy, CancellationToken.None));

    public JobSnapshot? Get(string jobId)
    {
        var details = storage.GetMonitoringApi().JobDetails(jobId);
        if (details is null)
        {
            return null;
        }

        var history = details.History
            .OrderBy(h => h.CreatedAt)
            .Select(h => new JobStateChange(h.StateName, new DateTimeOffset(DateTime.SpecifyKind(h.CreatedAt, DateTimeKind.Utc)), h.Reason))
            .ToList();
        var state = history.Count > 0 ? history[^1].State : "Unknown";
        return new JobSnapshot(jobId, state, history);
    }
}
