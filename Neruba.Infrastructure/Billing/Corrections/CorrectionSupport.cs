using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Billing;
using Neruba.Domain.Billing.Corrections;
using Neruba.Domain.Ledger;
using Neruba.Domain.Money;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Ledger;
using Neruba.Infrastructure.Persistence;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Billing.Corrections;

/// <summary>The reason codes a credit note carries, with the words the console shows.</summary>
public static class CreditNoteReasons
{
    public static readonly IReadOnlyDictionary<string, string> All = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["duplicate"] = "Duplicate charge",
        ["billing_error"] = "Billing error",
        ["product_unsatisfactory"] = "Product unsatisfactory",
        ["order_change"] = "Order change",
        ["goodwill"] = "Goodwill",
        ["fraudulent"] = "Fraudulent charge",
        ["other"] = "Other",
    };

    /// <summary>Used for the notes a rerun commit issues.</summary>
    public const string RerunCorrection = "billing_error";

    public static bool IsKnown(string? code) => code is not null && All.ContainsKey(code);
}

/// <summary>What every correction of an invoice reads: the invoice (tracked, project-isolated), its accounts and what earlier credit notes took.</summary>
internal static class CorrectionSupport
{
    public static Task<InvoiceRecord?> FindInvoiceAsync(UseCaseContext context, string? idOrNumber, CancellationToken cancellationToken) =>
        InvoiceLookup.FindAsync(context.Db.Invoices, context.ProjectId, idOrNumber, cancellationToken);

    public static async Task<CorrectionAccounts> AccountsAsync(NerubaDbContext db, InvoiceRecord invoice, CancellationToken cancellationToken) => new(
        await db.AccountAsync(invoice.ProjectId, AccountKind.CustomerReceivable, invoice.Currency, invoice.CustomerId, cancellationToken),
        await db.AccountAsync(invoice.ProjectId, AccountKind.CustomerWallet, invoice.Currency, invoice.CustomerId, cancellationToken),
        await db.AccountAsync(invoice.ProjectId, AccountKind.SalesCredits, invoice.Currency, null, cancellationToken),
        await db.AccountAsync(invoice.ProjectId, AccountKind.BankReceipts, invoice.Currency, null, cancellationToken));

    public static CreditableInvoice Creditable(InvoiceRecord invoice) =>
        new(invoice.Currency, invoice.Subtotal, invoice.AmountDue, invoice.PaidTotal, invoice.RefundedTotal, invoice.CreditedTotal);

    /// <summary>Per invoice line (0-based), what the issued (not voided) credit notes took.</summary>
    public static async Task<Dictionary<int, LineCredited>> LineCreditsAsync(NerubaDbContext db, Guid invoiceId, CancellationToken cancellationToken)
    {
        var notes = await db.CreditNotes.AsNoTracking().Where(n => n.InvoiceId == invoiceId && n.Status == CreditNoteStatus.Issued)
            .Select(n => n.Lines).ToListAsync(cancellationToken);
        return notes.SelectMany(l => l).Where(l => l.LineIndex is not null).GroupBy(l => l.LineIndex!.Value)
            .ToDictionary(g => g.Key, g => new LineCredited(g.Sum(l => l.Amount), g.Sum(l => l.Quantity ?? 0)));
    }

    public static async Task<long> NextCreditNoteSequenceAsync(NerubaDbContext db, Guid projectId, CancellationToken cancellationToken)
    {
        var local = db.CreditNotes.Local.Where(n => n.ProjectId == projectId).Select(n => n.Sequence).DefaultIfEmpty(0).Max();
        var stored = await db.CreditNotes.Where(n => n.ProjectId == projectId).MaxAsync(n => (long?)n.Sequence, cancellationToken) ?? 0;
        return Math.Max(local, stored) + 1;
    }

    public static PostingContext Posting(UseCaseContext context, string key, string reason) =>
        new(context.ProjectId, key, context.Now, context.Actor.Kind, context.Actor.Id, context.Actor.Name, reason);

    public static string Show(long minor, string currency) => new MoneyAmount(minor, Currency.Of(currency)).ToString();

    /// <summary>Parses an amount typed in the invoice's currency; null with the reason when it is not a positive amount it can hold.</summary>
    public static long? ParsePositive(string? text, string currency, string label, out string? error)
    {
        if (!MoneyAmount.TryParse(text, Currency.Of(currency), out var amount, out error))
        {
            error = $"{label}: {error}";
            return null;
        }

        if (amount.Minor <= 0)
        {
            error = $"{label} must be more than zero.";
            return null;
        }

        return amount.Minor;
    }

    /// <summary>The invoice's state for audit records: what changed, in minor units of its currency.</summary>
    public static object AuditState(InvoiceRecord invoice) => new
    {
        invoice.Number, invoice.Status, invoice.Currency, invoice.Subtotal, invoice.AmountDue, invoice.CreditedTotal, invoice.PaidTotal, invoice.RefundedTotal,
        invoice.WrittenOffTotal,
    };

    public static InvoiceLine? Line(InvoiceRecord invoice, int index) => index >= 0 && index < invoice.Draft.Lines.Count ? invoice.Draft.Lines[index] : null;
}
