using System.Text.Json;
using Neruba.Domain.Access;
using Neruba.Domain.Audit;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Infrastructure.UseCases;

/// <summary>What a handler works with: one database context (saved once, by the runner), the actor and the time.</summary>
public sealed class UseCaseContext(NerubaDbContext db, Actor actor, ProjectRole? role, DateTimeOffset now, string correlationId)
{
    private static readonly JsonSerializerOptions AuditJson = new(JsonSerializerDefaults.Web);

    public NerubaDbContext Db { get; } = db;
    public Actor Actor { get; } = actor;

    /// <summary>The person's role in the project at the moment of the action; null for API keys.</summary>
    public ProjectRole? Role { get; } = role;

    public DateTimeOffset Now { get; } = now;
    public string CorrelationId { get; } = correlationId;

    public Guid ProjectId => Actor.ProjectId;

    internal List<Action> Committed { get; } = [];

    /// <summary>Runs once the change is saved, e.g. to start a job that reads it; never if the save fails.</summary>
    public void AfterCommit(Action action) => Committed.Add(action);

    /// <summary>Adds an audit record to the same save as the change it describes: both land, or neither.</summary>
    /// <param name="projectId">The project whose log shows the record; the actor's current project when omitted.</param>
    public void Audit(string action, string targetType, string? targetId, object? before, object? after, string? reason = null, Guid? projectId = null) =>
        Db.AuditEntries.Add(CreateAuditEntry(projectId is { } other ? Actor with { ProjectId = other } : Actor,
            action, AuditOutcome.Succeeded, targetType, targetId, before, after, reason, Now, CorrelationId));

    internal static AuditEntry CreateAuditEntry(Actor actor, string action, AuditOutcome outcome, string targetType,
        string? targetId, object? before, object? after, string? reason, DateTimeOffset now, string correlationId) =>
        new(Guid.NewGuid(), actor.ProjectId == Guid.Empty ? null : actor.ProjectId, now, actor.Kind, actor.Id, actor.Name, action, outcome,
            targetType, targetId, Serialize(before), Serialize(after), reason, correlationId);

    private static string? Serialize(object? value) => value is null ? null : JsonSerializer.Serialize(value, AuditJson);
}
