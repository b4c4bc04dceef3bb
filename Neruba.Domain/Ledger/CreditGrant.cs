namespace Neruba.Domain.Ledger;

public enum CreditGrantStatus
{
    /// <summary>At or below the project's threshold: posted when requested.</summary>
    Posted = 1,
    PendingApproval = 2,
    Approved = 3,
    Rejected = 4,
}

/// <summary>Why credit is granted. The code is for reporting; the note says the rest.</summary>
public static class CreditReasonCodes
{
    public static readonly IReadOnlyDictionary<string, string> All = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["goodwill"] = "Goodwill",
        ["service_outage"] = "Service outage",
        ["billing_error"] = "Billing error",
        ["promotion"] = "Promotion",
        ["migration"] = "Migration from another system",
        ["other"] = "Other (explain in the note)",
    };

    public static bool IsKnown(string? code) => code is not null && All.ContainsKey(code);
}

/// <summary>
/// A request to give a customer credit. Above the project's threshold it waits for a second person with
/// the Finance role; the requester can never decide their own grant.
/// </summary>
public sealed class CreditGrant
{
    public Guid Id { get; private set; }
    public Guid ProjectId { get; private set; }
    public Guid CustomerId { get; private set; }
    public long Amount { get; private set; }
    public string Currency { get; private set; } = "";
    public CreditSource Source { get; private set; }
    public string ReasonCode { get; private set; } = "";
    public string Note { get; private set; } = "";
    public DateTimeOffset? ExpiresAt { get; private set; }
    public string RequestedById { get; private set; } = "";
    public string RequestedByName { get; private set; } = "";
    public DateTimeOffset RequestedAt { get; private set; }
    public CreditGrantStatus Status { get; private set; }
    public string? DecidedById { get; private set; }
    public string? DecidedByName { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }
    public string? DecisionComment { get; private set; }

    /// <summary>The entry that posted the credit, once posted.</summary>
    public Guid? EntryId { get; private set; }

    /// <summary>Changes with every decision, so an approval and a rejection racing each other cannot both be saved.</summary>
    public int Version { get; private set; }

    private CreditGrant() { }

    public CreditGrant(Guid id, Guid projectId, Guid customerId, long amount, string currency, CreditSource source, string reasonCode, string note,
        DateTimeOffset? expiresAt, string requestedById, string requestedByName, DateTimeOffset requestedAt, bool needsApproval)
    {
        if (amount <= 0)
        {
            throw new LedgerException("A credit grant is a positive amount.");
        }

        Id = id;
        ProjectId = projectId;
        CustomerId = customerId;
        Amount = amount;
        Currency = currency;
        Source = source;
        ReasonCode = reasonCode;
        Note = note;
        ExpiresAt = expiresAt;
        RequestedById = requestedById;
        RequestedByName = requestedByName;
        RequestedAt = requestedAt;
        Status = needsApproval ? CreditGrantStatus.PendingApproval : CreditGrantStatus.Posted;
    }

    public void MarkPosted(Guid entryId) => EntryId = entryId;

    public void Approve(string deciderId, string deciderName, string comment, DateTimeOffset at) =>
        Decide(CreditGrantStatus.Approved, deciderId, deciderName, comment, at);

    public void Reject(string deciderId, string deciderName, string comment, DateTimeOffset at) =>
        Decide(CreditGrantStatus.Rejected, deciderId, deciderName, comment, at);

    private void Decide(CreditGrantStatus outcome, string deciderId, string deciderName, string comment, DateTimeOffset at)
    {
        if (Status != CreditGrantStatus.PendingApproval)
        {
            throw new LedgerException($"This grant is already {Status}.");
        }

        if (string.Equals(deciderId, RequestedById, StringComparison.Ordinal))
        {
            throw new LedgerException("The person who requested a grant cannot decide it; another Finance member must.");
        }

        Status = outcome;
        Version++;
        DecidedById = deciderId;
        DecidedByName = deciderName;
        DecidedAt = at;
        DecisionComment = comment;
    }
}
