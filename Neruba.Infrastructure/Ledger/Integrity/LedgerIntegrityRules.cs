using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Infrastructure.Ledger.Integrity;

public enum LedgerProblemKind
{
    /// <summary>A journal entry whose postings do not sum to zero in a currency.</summary>
    UnbalancedEntry = 1,

    /// <summary>A posting in another currency than its account's, or on another project's account.</summary>
    PostingAccountMismatch = 2,

    /// <summary>A wallet posting that names no credit block (or a block of another wallet): the wallet no longer equals its blocks.</summary>
    WalletWithoutBlock = 3,

    /// <summary>A credit block holding less than nothing or more than it brought in.</summary>
    BlockOutOfRange = 4,

    /// <summary>A finalized invoice posted zero times, twice, or for another amount than its subtotal.</summary>
    InvoicePosting = 5,
}

/// <summary>One thing the integrity check found: what, the offending id, and words an operator can act on.</summary>
public sealed record LedgerProblem(LedgerProblemKind Kind, string Id, string Words);

/// <summary>
/// The money-integrity rules, each one set-based query over one project's ledger (a handful of queries however many entries): they read only,
/// and a problem names the id to open. The ledger's own writers already refuse each of these; the check proves nothing slipped past them
/// (a hand-edited database, a restore from a bad backup, a bug).
/// </summary>
internal static class LedgerIntegrityRules
{
    public static async Task<IReadOnlyList<LedgerProblem>> UnbalancedEntriesAsync(NerubaDbContext db, Guid projectId, int limit, CancellationToken cancellationToken)
    {
        var rows = await (from p in db.Postings.AsNoTracking()
                          join e in db.JournalEntries.AsNoTracking() on p.EntryId equals e.Id
                          where e.ProjectId == projectId
                          group p by new { p.EntryId, p.Currency } into g
                          where g.Sum(p => p.Amount) != 0
                          orderby g.Key.EntryId
                          select new { g.Key.EntryId, g.Key.Currency, Sum = g.Sum(p => p.Amount) })
            .Take(limit).ToListAsync(cancellationToken);
        return rows.Select(r => new LedgerProblem(LedgerProblemKind.UnbalancedEntry, r.EntryId.ToString(),
            $"Journal entry {r.EntryId} does not balance: its {r.Currency} postings sum to {r.Sum} minor units instead of 0.")).ToList();
    }

    public static async Task<IReadOnlyList<LedgerProblem>> PostingAccountMismatchesAsync(NerubaDbContext db, Guid projectId, int limit,
        CancellationToken cancellationToken)
    {
        var rows = await (from p in db.Postings.AsNoTracking()
                          join e in db.JournalEntries.AsNoTracking() on p.EntryId equals e.Id
                          join a in db.LedgerAccounts.AsNoTracking() on p.AccountId equals a.Id
                          where e.ProjectId == projectId && (a.ProjectId != projectId || a.Currency != p.Currency)
                          orderby p.EntryId
                          select new { p.Id, p.EntryId, p.Currency, AccountCurrency = a.Currency, AccountProject = a.ProjectId })
            .Take(limit).ToListAsync(cancellationToken);
        return rows.Select(r => new LedgerProblem(LedgerProblemKind.PostingAccountMismatch, r.EntryId.ToString(), r.AccountProject != projectId
            ? $"Journal entry {r.EntryId} posts to an account of another project (posting {r.Id})."
            : $"Journal entry {r.EntryId} posts {r.Currency} to a {r.AccountCurrency} account (posting {r.Id}).")).ToList();
    }

    /// <summary>
    /// A wallet equals its postings only if every wallet posting names one of that wallet's blocks: then the wallet's balance is the sum of what its
    /// blocks hold, and spending, expiry and reports (which read blocks) agree with the ledger.
    /// </summary>
    public static async Task<IReadOnlyList<LedgerProblem>> WalletPostingsWithoutBlockAsync(NerubaDbContext db, Guid projectId, int limit,
        CancellationToken cancellationToken)
    {
        var rows = await (from p in db.Postings.AsNoTracking()
                          join a in db.LedgerAccounts.AsNoTracking() on p.AccountId equals a.Id
                          where a.ProjectId == projectId && a.Kind == AccountKind.CustomerWallet
                              && (p.CreditBlockId == null || !db.CreditBlocks.Any(b => b.Id == p.CreditBlockId && b.WalletAccountId == a.Id))
                          orderby p.EntryId
                          select new { p.Id, p.EntryId, a.CustomerId, p.CreditBlockId })
            .Take(limit).ToListAsync(cancellationToken);
        return rows.Select(r => new LedgerProblem(LedgerProblemKind.WalletWithoutBlock, r.EntryId.ToString(), r.CreditBlockId is null
            ? $"Customer {r.CustomerId}'s wallet has a posting that names no credit block (entry {r.EntryId}, posting {r.Id}): the wallet no longer equals its blocks."
            : $"Customer {r.CustomerId}'s wallet has a posting naming block {r.CreditBlockId} of another wallet (entry {r.EntryId}).")).ToList();
    }

    public static async Task<IReadOnlyList<LedgerProblem>> BlocksOutOfRangeAsync(NerubaDbContext db, Guid projectId, int limit, CancellationToken cancellationToken)
    {
        var rows = await (from b in db.CreditBlocks.AsNoTracking()
                          where b.ProjectId == projectId
                          let remaining = -db.Postings.Where(p => p.CreditBlockId == b.Id && p.AccountId == b.WalletAccountId).Sum(p => p.Amount)
                          where remaining < 0 || remaining > b.Amount
                          orderby b.CreatedAt
                          select new { b.Id, b.CustomerId, b.Amount, b.Currency, Remaining = remaining })
            .Take(limit).ToListAsync(cancellationToken);
        return rows.Select(r => new LedgerProblem(LedgerProblemKind.BlockOutOfRange, r.Id.ToString(), r.Remaining < 0
            ? $"Credit block {r.Id} of customer {r.CustomerId} is negative: it holds {r.Remaining} minor units of {r.Currency}."
            : $"Credit block {r.Id} of customer {r.CustomerId} holds {r.Remaining} minor units of {r.Currency}, more than the {r.Amount} it brought in.")).ToList();
    }

    /// <summary>
    /// Every finalized invoice with a subtotal has exactly one "invoice issued" entry, debiting the customer's receivable by that subtotal
    /// (a void reverses it with a new entry; it never removes or repeats it). One with no subtotal has none.
    /// </summary>
    public static async Task<IReadOnlyList<LedgerProblem>> InvoicePostingsAsync(NerubaDbContext db, Guid projectId, int limit, CancellationToken cancellationToken)
    {
        // Links are matched in memory: a GUID's text form differs between providers, so the database cannot build "invoice:{id}" reliably.
        var posted = await (from e in db.JournalEntries.AsNoTracking()
                            where e.ProjectId == projectId && e.Kind == EntryKind.InvoiceIssued && e.Link != null
                            select new
                            {
                                e.Link,
                                Debited = (from p in e.Postings
                                           join a in db.LedgerAccounts on p.AccountId equals a.Id
                                           where a.Kind == AccountKind.CustomerReceivable
                                           select p.Amount).Sum(),
                            } into x
                            group x by x.Link into g
                            select new { Link = g.Key!, Entries = g.Count(), Debited = g.Sum(x => x.Debited) })
            .ToDictionaryAsync(x => x.Link, cancellationToken);
        var invoices = await db.Invoices.AsNoTracking().Where(i => i.ProjectId == projectId)
            .Select(i => new { i.Id, i.Sequence, i.Subtotal, i.Currency }).ToListAsync(cancellationToken);
        var problems = new List<LedgerProblem>();
        foreach (var invoice in invoices.OrderBy(i => i.Sequence))
        {
            var found = posted.GetValueOrDefault(InvoicePosting.Link(invoice.Id));
            var (entries, debited) = found is null ? (0, 0L) : (found.Entries, found.Debited);
            var number = InvoiceRecord.FormatNumber(invoice.Sequence);
            if (invoice.Subtotal == 0 ? entries != 0 : entries != 1)
            {
                problems.Add(new LedgerProblem(LedgerProblemKind.InvoicePosting, number,
                    $"Invoice {number} (subtotal {invoice.Subtotal} {invoice.Currency}) was posted {entries} times; it must be posted {(invoice.Subtotal == 0 ? "never" : "exactly once")}."));
            }
            else if (entries == 1 && debited != invoice.Subtotal)
            {
                problems.Add(new LedgerProblem(LedgerProblemKind.InvoicePosting, number,
                    $"Invoice {number} was posted for {debited} minor units of {invoice.Currency}, not its subtotal {invoice.Subtotal}."));
            }

            if (problems.Count == limit)
            {
                break;
            }
        }

        return problems;
    }
}
