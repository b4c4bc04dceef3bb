using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Infrastructure.Payments.Reconciliation;

/// <summary>One posting on Stripe clearing with the entry it belongs to.</summary>
internal sealed record ClearingLine(Guid EntryId, string Key, string? Link, DateTimeOffset At, long Amount, string Currency);

/// <summary>What the ledger says about Stripe clearing, read in the database a page of balance transactions at a time.</summary>
internal static class ReconciliationLedger
{
    /// <summary>Keys of entries reconciliation matches to balance transactions; an entry in a window with none of its transactions is checked in Stripe.</summary>
    public static readonly string[] StripeKeyPrefixes = ["stripe-payment:", "purchase:", "stripe-fee:", "stripe-refund:", "stripe-dispute-txn:"];

    public static async Task<List<ClearingLine>> LinesAsync(NerubaDbContext db, Guid projectId, IReadOnlyCollection<string> keys,
        IReadOnlyCollection<string> links, CancellationToken cancellationToken)
    {
        var rows = await (from e in db.JournalEntries
                          where e.ProjectId == projectId && (keys.Contains(e.IdempotencyKey) || (e.Link != null && links.Contains(e.Link)))
                          join p in db.Postings on e.Id equals p.EntryId
                          join a in db.LedgerAccounts on p.AccountId equals a.Id
                          where a.Kind == AccountKind.StripeClearing
                          select new { e.Id, e.IdempotencyKey, e.Link, e.At, p.Amount, a.Currency }).ToListAsync(cancellationToken);
        return [.. rows.Select(r => new ClearingLine(r.Id, r.IdempotencyKey, r.Link, r.At, r.Amount, r.Currency))];
    }

    /// <summary>Entries on clearing posted in the window under a Stripe key, to find those Stripe has no transaction for.</summary>
    public static async Task<List<ClearingLine>> InWindowAsync(NerubaDbContext db, Guid projectId, DateTimeOffset start, DateTimeOffset end,
        CancellationToken cancellationToken)
    {
        var rows = await (from e in db.JournalEntries
                          where e.ProjectId == projectId && e.At >= start && e.At < end
                          join p in db.Postings on e.Id equals p.EntryId
                          join a in db.LedgerAccounts on p.AccountId equals a.Id
                          where a.Kind == AccountKind.StripeClearing
                          select new { e.Id, e.IdempotencyKey, e.Link, e.At, p.Amount, a.Currency }).ToListAsync(cancellationToken);
        return [.. rows.Where(r => StripeKeyPrefixes.Any(prefix => r.IdempotencyKey.StartsWith(prefix, StringComparison.Ordinal)))
            .Select(r => new ClearingLine(r.Id, r.IdempotencyKey, r.Link, r.At, r.Amount, r.Currency))];
    }
}
