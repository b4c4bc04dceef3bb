using Neruba.Domain.Billing;

namespace Neruba.Infrastructure.Billing;

/// <summary>A plan: a code customers subscribe to, and the history of its versions. <see cref="Name"/> is the newest version's name.</summary>
public sealed class PlanRecord
{
    public const int MaxCodeLength = 50;
    public const int MaxNameLength = 100;

    public Guid Id { get; set; }
    public Guid ProjectId { get; set; }
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// One version of a plan: its name and terms as invoices show them. A fact, inserted once and never
/// changed (the append-only guard refuses updates): editing or renaming a plan adds the next version, so
/// no past invoice, rerun hash or running subscription can see its terms or name change.
/// </summary>
public sealed class PlanVersionRecord
{
    public Guid Id { get; set; }
    public Guid PlanId { get; set; }
    public Guid ProjectId { get; set; }
    public int Number { get; set; }

    /// <summary>The plan's name when this version was saved: the name its invoice lines carry.</summary>
    public string Name { get; set; } = "";
    public PlanTerms Terms { get; set; } = null!;
    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
}

/// <summary>A customer's subscription. Which plan version applies when is in its phases.</summary>
public sealed class SubscriptionRecord
{
    public Guid Id { get; set; }
    public Guid ProjectId { get; set; }
    public Guid CustomerId { get; set; }
    public Guid PlanId { get; set; }

    /// <summary>First day of a month; yearly fee periods start on it each year.</summary>
    public DateTimeOffset BillingAnchor { get; set; }

    public DateTimeOffset StartsAt { get; set; }

    /// <summary>When it stops (exclusive); none while it runs on.</summary>
    public DateTimeOffset? EndsAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Bumped by every change, so two people changing the same subscription cannot both win.</summary>
    public long Version { get; set; }
}

/// <summary>A plan version in force on a subscription from <see cref="From"/> until <see cref="To"/> (exclusive).</summary>
public sealed class SubscriptionPhaseRecord
{
    public Guid Id { get; set; }
    public Guid SubscriptionId { get; set; }
    public Guid PlanVersionId { get; set; }
    public DateTimeOffset From { get; set; }
    public DateTimeOffset? To { get; set; }
}
