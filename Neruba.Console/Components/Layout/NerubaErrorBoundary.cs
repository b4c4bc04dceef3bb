using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace Neruba.Console.Components.Layout;

/// <summary>
/// Catches a failing page, logs the full exception with an incident id, and lets the layout show
/// a friendly message with that id instead of a stack trace.
/// </summary>
public sealed partial class NerubaErrorBoundary : ErrorBoundary
{
    [Inject]
    private ILogger<NerubaErrorBoundary> Logger { get; set; } = default!;

    public string? IncidentId { get; private set; }

    public NerubaErrorBoundary()
    {
        ErrorContent = _ => builder =>
        {
            builder.OpenComponent<ErrorNotice>(0);
            builder.AddAttribute(1, nameof(ErrorNotice.IncidentId), IncidentId);
            builder.AddAttribute(2, nameof(ErrorNotice.OnRetry), EventCallback.Factory.Create(this, Recover));
            builder.CloseComponent();
        };
    }

    protected override Task OnErrorAsync(Exception exception)
    {
        IncidentId = Guid.NewGuid().ToString("N")[..8];
        LogPageFailed(Logger, exception, IncidentId);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A console page failed (incident {IncidentId}).")]
    private static partial void LogPageFailed(ILogger logger, Exception exception, string incidentId);
}
