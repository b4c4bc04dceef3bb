using Neruba.Domain.Audit;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Ledger;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Infrastructure.Billing.Invoices;

/// <summary>
/// Posts a newly finalized invoice (a run's, a reissue or a supplemental one): the customer owes its total (invoice issued), and the
/// wallet credit its draft draws pays part of it (credit applied, from the exact blocks the draft names). Keys are per
/// (subscription, month, revision), so a retried finalization posts nothing twice.
/// </summary>
internal static class InvoicePosting
{
    /// <summary>Who the entries name.</summary>
    public sealed record Poster(ActorKind Kind, string Id, string Name);

    public const string IssuedPart = "issued";
    public const string CreditPart = "credit";

    /// <param name="restored">Credit put back into blocks by entries in the same save (a void before its reissue), not yet in the database.</param>
    public static async Task PostAsync(NerubaDbContext db, InvoiceRecord invoice, Poster poster, DateTimeOffset now, CancellationToken cancellationToken,
        IReadOnlyDictionary<Guid, long>? restored = null)
    {
        var draft = invoice.Draft;
        var link = Link(invoice.Id);
        var receivable = await db.AccountAsync(invoice.ProjectId, AccountKind.CustomerReceivable, draft.Currency, invoice.CustomerId, cancellationToken);
        if (draft.Subtotal != 0)
        {
            var revenue = await db.AccountAsync(invoice.ProjectId, AccountKind.Revenue, draft.Currency, null, cancellationToken);
            db.JournalEntries.Add(CreditPostings.InvoiceIssued(Context(invoice, IssuedPart, poster, now), receivable, revenue, draft.Subtotal, link));
        }

        if (draft.Credits.Count > 0)
        {
            var wallet = await db.AccountAsync(invoice.ProjectId, AccountKind.CustomerWallet, draft.Currency, invoice.CustomerId, cancellationToken);
            var remaining = (await db.BlockBalancesAsync(wallet.Id, cancellationToken))
                .ToDictionary(b => b.BlockId, b => b.Remaining + (restored?.GetValueOrDefault(b.BlockId) ?? 0));
            var draws = draft.Credits.Select(c => new BlockDraw(c.BlockId, c.Amount)).ToList();
            db.JournalEntries.Add(CreditPostings.ApplyDraws(Context(invoice, CreditPart, poster, now), wallet, receivable, draws, remaining, link));
            wallet.Touch();
        }
    }

    public static string Link(Guid invoiceId) => $"invoice:{invoiceId}";

    public static string Key(InvoiceRecord invoice, string part) => $"invoice:{invoice.SubscriptionId:N}:{invoice.PeriodStart:yyyy-MM}:r{invoice.Revision}:{part}";

    private static PostingContext Context(InvoiceRecord invoice, string part, Poster poster, DateTimeOffset now) =>
        new(invoice.ProjectId, Key(invoice, part), now, poster.Kind, poster.Id, poster.Name, $"Invoice {invoice.Number}");
}
