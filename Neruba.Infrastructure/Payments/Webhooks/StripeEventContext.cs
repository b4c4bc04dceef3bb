using Neruba.Domain.Audit;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Persistence;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Payments.Webhooks;

/// <summary>What an event handler works with: one context saved once with the event marked processed, the event's object and the time.</summary>
internal sealed class StripeEventContext(NerubaDbContext db, StripeEventRecord record, StripeAccountRecord account, StripeJson obj, DateTimeOffset now)
{
    public const string ActorId = "stripe";
    public const string ActorName = "Stripe webhook";

    public NerubaDbContext Db { get; } = db;
    public StripeEventRecord Event { get; } = record;
    public StripeAccountRecord Account { get; } = account;
    public StripeJson Object { get; } = obj;
    public DateTimeOffset Now { get; } = now;
    public Guid ProjectId => Event.ProjectId;
    public List<Action> Committed { get; } = [];

    /// <summary>Runs once the event's changes are saved (e.g. queue a job that reads them); never when the save fails.</summary>
    public void AfterCommit(Action action) => Committed.Add(action);

    public PostingContext Posting(string key, string reason) =>
        new(ProjectId, key, Now, ActorKind.System, ActorId, ActorName, $"{reason} (Stripe event {Event.StripeEventId})");

    public void Audit(string action, string targetType, string targetId, object? before, object? after, string reason) =>
        Db.AuditEntries.Add(UseCaseContext.CreateAuditEntry(new Actor(ActorKind.System, ActorId, ActorName, ProjectId, new HashSet<string>()), action,
            AuditOutcome.Succeeded, targetType, targetId, before, after, $"{reason} (Stripe event {Event.StripeEventId})", Now, Event.StripeEventId));
}

/// <summary>What processing an event did, in words for the Webhooks page; <see cref="Acted"/> false when it was not Neruba's to act on.</summary>
internal sealed record StripeEventOutcome(bool Acted, string Words)
{
    public static StripeEventOutcome Done(string words) => new(true, words);

    public static StripeEventOutcome Ignored(string words) => new(false, words);
}
