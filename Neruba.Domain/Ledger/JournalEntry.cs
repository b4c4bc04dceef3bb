using Neruba.Domain.Audit;

namespace Neruba.Domain.Ledger;

/// <summary>
/// A balanced set of postings that records one money event. Valid only when its postings sum to zero in
/// every currency. Never changed once written: a mistake is corrected by a reversing entry.
/// </summary>
public sealed class JournalEntry
{
    public const int MaxIdempotencyKeyLength = 200;
    public const int MaxReasonLength = 1000;

    private readonly List<Posting> _postings = [];

    public Guid Id { get; private set; }
    public Guid ProjectId { get; private set; }
    public EntryKind Kind { get; private set; }

    /// <summary>Unique per project: posting the same key twice yields the first entry, never a second one.</summary>
    public string IdempotencyKey { get; private set; } = "";

    public DateTimeOffset At { get; private set; }
    public ActorKind ActorKind { get; private set; }
    public string ActorId { get; private set; } = "";
    public string ActorName { get; private set; } = "";
    public string Reason { get; private set; } = "";
    public Guid? CustomerId { get; private set; }

    /// <summary>What caused this entry: a credit grant, an invoice, a reversed entry… (type:id).</summary>
    public string? Link { get; private set; }

    public Guid? ReversesEntryId { get; private set; }

    public IReadOnlyList<Posting> Postings => _postings;

    private JournalEntry() { }

    public static JournalEntry Create(Guid id, Guid projectId, EntryKind kind, string idempotencyKey, DateTimeOffset at,
        ActorKind actorKind, string actorId, string actorName, string reason, Guid? customerId, string? link,
        IEnumerable<Posting> postings, Guid? reversesEntryId = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(idempotencyKey);
        if (idempotencyKey.Length > MaxIdempotencyKeyLength)
        {
            throw new LedgerException($"An idempotency key has at most {MaxIdempotencyKeyLength} characters.");
        }

        var entry = new JournalEntry
        {
            Id = id,
            ProjectId = projectId,
            Kind = kind,
            IdempotencyKey = idempotencyKey,
            At = at,
            ActorKind = actorKind,
            ActorId = actorId,
            ActorName = actorName,
            Reason = reason.Length > MaxReasonLength ? reason[..MaxReasonLength] : reason,
            CustomerId = customerId,
            Link = link,
            ReversesEntryId = reversesEntryId,
        };
        foreach (var posting in postings)
        {
            posting.AttachTo(id);
            entry._postings.Add(posting);
        }

        entry.EnsureBalanced();
        return entry;
    }

    /// <summary>The entry that undoes this one: the same postings with opposite signs.</summary>
    public JournalEntry Reverse(Guid id, string idempotencyKey, DateTimeOffset at, ActorKind actorKind, string actorId, string actorName, string reason) =>
        Create(id, ProjectId, EntryKind.Reversal, idempotencyKey, at, actorKind, actorId, actorName, reason, CustomerId, $"entry:{Id}",
            _postings.Select(p => new Posting(Guid.NewGuid(), p.AccountId, checked(-p.Amount), p.Currency, p.CreditBlockId)), Id);

    private void EnsureBalanced()
    {
        if (_postings.Count < 2)
        {
            throw new LedgerException("A journal entry needs at least two postings.");
        }

        if (_postings.Any(p => p.Amount == 0))
        {
            throw new LedgerException("A posting of zero moves nothing; leave it out.");
        }

        foreach (var currency in _postings.GroupBy(p => p.Currency, StringComparer.Ordinal))
        {
            var sum = 0L;
            foreach (var posting in currency)
            {
                sum = checked(sum + posting.Amount);
            }

            if (sum != 0)
            {
                throw new LedgerException($"The postings in {currency.Key} sum to {sum}, not zero.");
            }
        }
    }
}

/// <summary>A money rule was broken: an unbalanced entry, an overdrawn block, an overflow.</summary>
public sealed class LedgerException(string message) : Exception(message);
