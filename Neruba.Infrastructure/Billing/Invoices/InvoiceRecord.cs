using Neruba.Domain.Billing;

namespace Neruba.Infrastructure.Billing.Invoices;

public enum InvoiceStatus
{
    Finalized = 2,
    Paid = 3,
    Void = 4,
    Uncollectible = 5,
}

/// <summary>
/// A finalized invoice: numbered per project, its lines frozen as the rating draft that produced them.
/// Unique per (subscription, period, revision), which is what makes a retried or resumed run harmless.
/// </summary>
public sealed class InvoiceRecord
{
    public Guid Id { get; set; }
    public Guid ProjectId { get; set; }
    public Guid CustomerId { get; set; }
    public Guid SubscriptionId { get; set; }
    public DateTimeOffset PeriodStart { get; set; }
    public DateTimeOffset PeriodEnd { get; set; }
    public int Revision { get; set; }
    public long Sequence { get; set; }
    public InvoiceStatus Status { get; set; }
    public string Currency { get; set; } = "";
    public long Subtotal { get; set; }
    public long CreditsApplied { get; set; }
    public long AmountDue { get; set; }
    public InvoiceDraft Draft { get; set; } = null!;
    public string DraftHash { get; set; } = "";
    public Guid RunId { get; set; }
    public DateTimeOffset FinalizedAt { get; set; }

    public string Number => FormatNumber(Sequence);

    public static string FormatNumber(long sequence) => $"INV-{sequence:D6}";
}
