using Neruba.Domain.Billing;

namespace Neruba.Infrastructure.Billing.Invoices;

public enum InvoiceStatus
{
    Finalized = 2,
    Paid = 3,
    Void = 4,
    Uncollectible = 5,
}

public enum InvoiceKind
{
    /// <summary>Produced by a final billing run.</summary>
    Regular = 1,

    /// <summary>Replaces a voided invoice of the same subscription and month.</summary>
    Reissue = 2,

    /// <summary>Bills what a committed rerun found was under-billed; its lines are the differences.</summary>
    Supplemental = 3,
}

/// <summary>
/// A finalized invoice: numbered per project, its lines frozen as the rating draft that produced them.
/// Unique per (subscription, period, revision), which is what makes a retried or resumed run harmless.
/// Its lines and totals never change; what happened since (credit notes, payments, a write-off, a void) is kept in the running
/// figures below, each backed by a journal entry, and <see cref="AmountDue"/> is what is still owed after them.
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
    public InvoiceKind Kind { get; set; } = InvoiceKind.Regular;

    /// <summary>The invoice this one corrects: the voided one a reissue replaces, or the original a supplemental invoice adds to.</summary>
    public Guid? CorrectsInvoiceId { get; set; }

    /// <summary>The rerun whose commit issued this supplemental invoice.</summary>
    public Guid? RerunId { get; set; }

    /// <summary>The invoice's total: the sum of its lines.</summary>
    public long Subtotal { get; set; }

    /// <summary>Prepaid credit drawn from the wallet when the invoice was finalized.</summary>
    public long CreditsApplied { get; set; }

    /// <summary>Still owed: total − credits applied − credit notes that reduced it − payments − write-off (zero once void).</summary>
    public long AmountDue { get; set; }

    /// <summary>The sum of the credit notes issued against it (not voided).</summary>
    public long CreditedTotal { get; set; }

    /// <summary>The part of <see cref="CreditedTotal"/> that reduced what was due.</summary>
    public long CreditedToDue { get; set; }

    public long PaidTotal { get; set; }

    /// <summary>The refund parts of its credit notes: paid money given back.</summary>
    public long RefundedTotal { get; set; }

    public long WrittenOffTotal { get; set; }

    public DateTimeOffset? VoidedAt { get; set; }
    public string? VoidedByName { get; set; }
    public string? VoidReason { get; set; }

    /// <summary>The invoice that replaced this voided one.</summary>
    public Guid? ReplacedByInvoiceId { get; set; }

    /// <summary>Bumped by every correction, so two people correcting the same invoice at once cannot both win.</summary>
    public long Version { get; set; }
    public InvoiceDraft Draft { get; set; } = null!;
    public string DraftHash { get; set; } = "";
    public Guid RunId { get; set; }
    public DateTimeOffset FinalizedAt { get; set; }

    public string Number => FormatNumber(Sequence);

    /// <summary>The columns a correction may change; everything else is frozen at finalization.</summary>
    public static readonly IReadOnlySet<string> CorrectionState = new HashSet<string>(StringComparer.Ordinal)
    {
        nameof(Status), nameof(AmountDue), nameof(CreditedTotal), nameof(CreditedToDue), nameof(PaidTotal), nameof(RefundedTotal), nameof(WrittenOffTotal),
        nameof(VoidedAt), nameof(VoidedByName), nameof(VoidReason), nameof(ReplacedByInvoiceId), nameof(Version),
    };

    /// <summary>What was due at finalization: total − credits applied.</summary>
    public long OriginalAmountDue => Subtotal - CreditsApplied;

    /// <summary>Recomputes what is still due from the running figures and settles the status (paid when nothing is left, unless void or written off).</summary>
    public void Settle()
    {
        if (Status == InvoiceStatus.Void)
        {
            AmountDue = 0;
            return;
        }

        AmountDue = OriginalAmountDue - CreditedToDue - PaidTotal - WrittenOffTotal;
        if (AmountDue < 0)
        {
            throw new InvalidOperationException($"Invoice {Number} would owe a negative amount; the correction was refused.");
        }

        if (Status != InvoiceStatus.Uncollectible && AmountDue == 0 && (PaidTotal > 0 || CreditedToDue > 0))
        {
            Status = InvoiceStatus.Paid;
        }
        else if (Status == InvoiceStatus.Paid && AmountDue > 0)
        {
            Status = InvoiceStatus.Finalized;
        }

        Version++;
    }

    public static string FormatNumber(long sequence) => $"INV-{sequence:D6}";
}
