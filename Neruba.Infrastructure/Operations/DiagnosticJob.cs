using Microsoft.Extensions.Logging;

namespace Neruba.Infrastructure.Operations;

/// <summary>
/// A harmless job that proves the job server works end to end: it waits a moment (so the
/// Processing state is visible) and logs who asked for it. Touches no data.
/// </summary>
public sealed partial class DiagnosticJob(TimeProvider clock, ILogger<DiagnosticJob> logger)
{
    public static readonly TimeSpan Duration = TimeSpan.FromSeconds(2);

    public async Task RunAsync(string requestedBy, CancellationToken cancellationToken)
    {
        LogStarted(requestedBy);
        await Task.Delay(Duration, clock, cancellationToken);
        LogFinished(requestedBy);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Diagnostic job started for {RequestedBy}.")]
    private partial void LogStarted(string requestedBy);

    [LoggerMessage(Level = LogLevel.Information, Message = "Diagnostic job finished for {RequestedBy}.")]
    private partial void LogFinished(string requestedBy);
}
