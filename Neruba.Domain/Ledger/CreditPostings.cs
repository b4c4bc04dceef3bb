using Neruba.Domain.Audit;

namespace Neruba.Domain.Ledger;

/// <summary>Who posts, when, and under which idempotency key: the part every entry shares.</summary>
public sealed record PostingContext(Guid ProjectId, string IdempotencyKey, DateTimeOffset At, ActorKind ActorKind, string ActorId, string ActorName, string Reason);

/// <summary>
/// Builds the journal entries that move credit: pure functions of the accounts and block balances,
/// so the same rules run in the database writer, the property tests and the benchmark.
/// </summary>
public static class CreditPostings
{
    /// <summary>Credit in: debit the funding account (expense for free credit), credit the wallet under a new block.</summary>
    public static (JournalEntry Entry, CreditBlock Block) Grant(PostingContext context, LedgerAccount wallet, LedgerAccount funding, CreditSource source,
        long amount, DateTimeOffset? expiresAt, int? priority, string? link)
    {
        if (amount <= 0)
        {
            throw new LedgerException("A credit grant is a positive amount.");
        }

        var entryId = Guid.NewGuid();
        var block = new CreditBlock(Guid.NewGuid(), context.ProjectId, wallet.CustomerId!.Value, wallet.Id, wallet.Currency, source, amount,
            expiresAt, priority, context.At, entryId);
        var entry = Build(entryId, context, source == CreditSource.Purchase ? EntryKind.CreditPurchase : EntryKind.CreditGrant, wallet.CustomerId, link,
        [
            new Posting(Guid.NewGuid(), funding.Id, amount, wallet.Currency),
            new Posting(Guid.NewGuid(), wallet.Id, -amount, wallet.Currency, block.Id),
        ]);
        return (entry, block);
    }

    /// <summary>
    /// Credit out to pay what the customer owes: debit the wallet block by block in consumption order,
    /// credit the receivable. Draws only what the blocks hold; the rest is returned as the shortfall.
    /// </summary>
    public static (JournalEntry? Entry, long Shortfall) Consume(PostingContext context, LedgerAccount wallet, LedgerAccount receivable,
        IEnumerable<BlockBalance> blocks, long amount, string? link)
    {
        var (draws, shortfall) = CreditConsumption.Plan(blocks, amount, context.At);
        if (draws.Count == 0)
        {
            return (null, shortfall);
        }

        var postings = draws.Select(d => new Posting(Guid.NewGuid(), wallet.Id, d.Amount, wallet.Currency, d.BlockId)).ToList();
        postings.Add(new Posting(Guid.NewGuid(), receivable.Id, -(amount - shortfall), wallet.Currency));
        return (Build(Guid.NewGuid(), context, EntryKind.CreditApplied, wallet.CustomerId, link, postings), shortfall);
    }

    /// <summary>A finalized invoice: the customer owes its subtotal (debit receivable), the project earned it (credit revenue).</summary>
    public static JournalEntry InvoiceIssued(PostingContext context, LedgerAccount receivable, LedgerAccount revenue, long subtotal, string link) =>
        Build(Guid.NewGuid(), context, EntryKind.InvoiceIssued, receivable.CustomerId, link,
        [
            new Posting(Guid.NewGuid(), receivable.Id, subtotal, receivable.Currency),
            new Posting(Guid.NewGuid(), revenue.Id, -subtotal, receivable.Currency),
        ]);

    /// <summary>
    /// Pays an invoice from the exact block draws its rating chose (debit the wallet per block, credit the
    /// receivable). Refused when a block no longer holds its draw, so a wallet never goes below zero.
    /// </summary>
    public static JournalEntry ApplyDraws(PostingContext context, LedgerAccount wallet, LedgerAccount receivable, IReadOnlyList<BlockDraw> draws,
        IReadOnlyDictionary<Guid, long> blockRemaining, string link)
    {
        foreach (var draw in draws)
        {
            if (draw.Amount <= 0 || blockRemaining.GetValueOrDefault(draw.BlockId) < draw.Amount)
            {
                throw new LedgerException($"Credit block {draw.BlockId} no longer holds the {draw.Amount} minor units the invoice draws from it; rerun the period.");
            }
        }

        var postings = draws.Select(d => new Posting(Guid.NewGuid(), wallet.Id, d.Amount, wallet.Currency, d.BlockId)).ToList();
        postings.Add(new Posting(Guid.NewGuid(), receivable.Id, -draws.Sum(d => d.Amount), wallet.Currency));
        return Build(Guid.NewGuid(), context, EntryKind.CreditApplied, wallet.CustomerId, link, postings);
    }

    /// <summary>Writes off what is left of an expired block: debit the wallet, credit expired credit.</summary>
    public static JournalEntry Expire(PostingContext context, LedgerAccount wallet, LedgerAccount expired, BlockBalance block)
    {
        if (block.Remaining <= 0 || !(block.ExpiresAt <= context.At))
        {
            throw new LedgerException("Only an expired block that still holds credit can be written off.");
        }

        return Build(Guid.NewGuid(), context, EntryKind.CreditExpiry, wallet.CustomerId, $"block:{block.BlockId}",
        [
            new Posting(Guid.NewGuid(), wallet.Id, block.Remaining, wallet.Currency, block.BlockId),
            new Posting(Guid.NewGuid(), expired.Id, -block.Remaining, wallet.Currency),
        ]);
    }

    /// <summary>
    /// Undoes an entry. Refused when it would take a block below zero, e.g. reversing a grant whose
    /// credit has already been spent.
    /// </summary>
    public static JournalEntry Reverse(PostingContext context, JournalEntry original, IReadOnlyDictionary<Guid, long> blockRemaining)
    {
        foreach (var posting in original.Postings.Where(p => p.CreditBlockId is not null))
        {
            // Reversing adds -Amount to the block's postings; its remainder (minus the sum) changes by +Amount.
            var remaining = blockRemaining.GetValueOrDefault(posting.CreditBlockId!.Value);
            if (remaining + posting.Amount < 0)
            {
                throw new LedgerException("This entry cannot be reversed: the credit it added has already been used or expired.");
            }
        }

        return original.Reverse(Guid.NewGuid(), context.IdempotencyKey, context.At, context.ActorKind, context.ActorId, context.ActorName, context.Reason);
    }

    private static JournalEntry Build(Guid id, PostingContext context, EntryKind kind, Guid? customerId, string? link, IEnumerable<Posting> postings) =>
        JournalEntry.Create(id, context.ProjectId, kind, context.IdempotencyKey, context.At, context.ActorKind, context.ActorId, context.ActorName,
            context.Reason, customerId, link, postings);
}
