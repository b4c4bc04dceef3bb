using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Audit;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Ledger;
using Neruba.Infrastructure.Persistence;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Payments.Reconciliation;

/// <summary>
/// What one run learns, a page of balance transactions at a time: differences per Stripe source, the sources that matched, the ledger keys
/// seen (so entries of the window Stripe did not list can be checked) and the totals per reporting category. Payouts are posted as they are met.
/// </summary>
internal sealed class ReconciliationPass(NerubaDbContext db, ReconciliationRunRecord run, DateTimeOffset now)
{
    public const string ActorName = "Reconciliation";

    private readonly Dictionary<(string, string), CategoryTotal> _totals = [];

    public Dictionary<string, List<Finding>> Findings { get; } = new(StringComparer.Ordinal);
    public HashSet<string> Sources { get; } = new(StringComparer.Ordinal);
    public HashSet<string> SeenKeys { get; } = new(StringComparer.Ordinal);

    public async Task ReadPageAsync(IReadOnlyList<StripeTxn> page, CancellationToken cancellationToken)
    {
        var projectId = run.ProjectId;
        var intents = page.Select(t => t.PaymentIntentId).OfType<string>().ToList();
        var sources = page.Select(t => t.SourceId).ToList();
        var sessions = await db.CheckoutSessions.AsNoTracking().Where(s => s.ProjectId == projectId && s.PaymentIntentId != null && intents.Contains(s.PaymentIntentId))
            .Select(s => new { s.PaymentIntentId, s.StripeSessionId }).ToListAsync(cancellationToken);
        var known = new HashSet<string>(StringComparer.Ordinal);
        known.UnionWith(sessions.Select(s => s.PaymentIntentId!));
        known.UnionWith(await db.CollectionAttempts.Where(a => a.ProjectId == projectId && a.PaymentIntentId != null && intents.Contains(a.PaymentIntentId))
            .Select(a => a.PaymentIntentId!).ToListAsync(cancellationToken));
        known.UnionWith(await db.StripeRefunds.Where(r => r.ProjectId == projectId && r.StripeRefundId != null && sources.Contains(r.StripeRefundId))
            .Select(r => r.StripeRefundId!).ToListAsync(cancellationToken));
        known.UnionWith(await db.Disputes.Where(d => d.ProjectId == projectId && sources.Contains(d.StripeDisputeId)).Select(d => d.StripeDisputeId)
            .ToListAsync(cancellationToken));

        var expectations = page.Select(t => TxnExpectation.For(t, sessions.FirstOrDefault(s => s.PaymentIntentId == t.PaymentIntentId)?.StripeSessionId)).ToList();
        var keys = expectations.SelectMany(e => e.AmountKeys.Concat(e.FeeKeys)).ToList();
        var links = expectations.SelectMany(e => new[] { e.AmountLink, e.FeeLink }).OfType<string>().ToList();
        var lines = await ReconciliationLedger.LinesAsync(db, projectId, keys, links, cancellationToken);
        SeenKeys.UnionWith(keys);
        foreach (var expected in expectations)
        {
            var txn = expected.Txn;
            CategoryTotal.Add(_totals, txn);
            Sources.Add(txn.SourceId);
            if (txn.IsPayout && txn.Amount != 0 && !lines.Any(l => expected.AmountKeys.Contains(l.Key, StringComparer.Ordinal)))
            {
                await PostPayoutAsync(txn, cancellationToken);
                run.Matched++;
                continue;
            }

            var findings = ReconciliationMatcher.Compare(expected, lines, known.Contains(txn.PaymentIntentId ?? txn.SourceId));
            if (findings.Count == 0)
            {
                run.Matched++;
                continue;
            }

            var list = Findings.GetValueOrDefault(txn.SourceId) ?? (Findings[txn.SourceId] = []);
            list.AddRange(findings.Where(f => list.All(other => other.Kind != f.Kind)));
        }

        run.PagesRead++;
        run.TransactionsSeen += page.Count;
        run.CategorySummary = CategoryTotal.Serialize(_totals.Values.OrderBy(t => t.Category, StringComparer.Ordinal).ThenBy(t => t.Currency, StringComparer.Ordinal));
        run.Version++;
    }

    /// <summary>Stripe paid out to the bank (or pulled money back): clearing → bank, once per payout, audited.</summary>
    private async Task PostPayoutAsync(StripeTxn txn, CancellationToken cancellationToken)
    {
        var bank = await db.AccountAsync(run.ProjectId, AccountKind.Bank, txn.Currency, null, cancellationToken);
        var clearing = await db.AccountAsync(run.ProjectId, AccountKind.StripeClearing, txn.Currency, null, cancellationToken);
        var words = $"Stripe payout {txn.SourceId} of {ReconciliationMatcher.Show(-txn.Amount, txn.Currency)} to the bank (balance transaction {txn.Id})";
        db.JournalEntries.Add(DisputePostings.Payout(new PostingContext(run.ProjectId, $"stripe-payout:{txn.SourceId}", now, ActorKind.System, "reconciliation",
            ActorName, words), bank, clearing, -txn.Amount, ReconciliationLinks.Source(txn.SourceId)));
        db.AuditEntries.Add(UseCaseContext.CreateAuditEntry(SystemActor(run.ProjectId), "reconciliation.payout_posted", AuditOutcome.Succeeded,
            "reconciliation-run", run.Id.ToString(), null, new { Payout = txn.SourceId, Amount = -txn.Amount, txn.Currency }, words, now, run.Id.ToString()));
        run.PayoutsPosted++;
    }

    public static Actor SystemActor(Guid projectId) => new(ActorKind.System, "reconciliation", ActorName, projectId, new HashSet<string>());
}
