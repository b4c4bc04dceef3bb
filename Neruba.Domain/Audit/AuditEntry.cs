namespace Neruba.Domain.Audit;

public enum ActorKind
{
    User = 1,
    ApiKey = 2,
    System = 3,
}

public enum AuditOutcome
{
    Succeeded = 1,
    Denied = 2,
}

/// <summary>
/// One change to money or access, or one refused attempt: who, what, when, on which target, the state
/// before and after (JSON), the reason, and the request's correlation id. Written once, never changed.
/// </summary>
public sealed class AuditEntry
{
    public Guid Id { get; private set; }
    public Guid? ProjectId { get; private set; }
    public DateTimeOffset At { get; private set; }
    public ActorKind ActorKind { get; private set; }
    public string ActorId { get; private set; } = "";
    public string ActorName { get; private set; } = "";

    /// <summary>Dotted verb, e.g. <c>customer.created</c>, <c>member.role_changed</c>, <c>api_key.revoked</c>.</summary>
    public string Action { get; private set; } = "";

    public AuditOutcome Outcome { get; private set; }
    public string TargetType { get; private set; } = "";
    public string? TargetId { get; private set; }
    public string? Before { get; private set; }
    public string? After { get; private set; }
    public string? Reason { get; private set; }
    public string CorrelationId { get; private set; } = "";

    private AuditEntry() { }

    public AuditEntry(Guid id, Guid? projectId, DateTimeOffset at, ActorKind actorKind, string actorId, string actorName,
        string action, AuditOutcome outcome, string targetType, string? targetId, string? before, string? after,
        string? reason, string correlationId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(action);
        Id = id;
        ProjectId = projectId;
        At = at;
        ActorKind = actorKind;
        ActorId = actorId;
        ActorName = actorName;
        Action = action;
        Outcome = outcome;
        TargetType = targetType;
        TargetId = targetId;
        Before = before;
        After = after;
        Reason = reason;
        CorrelationId = correlationId;
    }
}
