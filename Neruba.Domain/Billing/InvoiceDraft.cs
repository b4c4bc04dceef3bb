using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Neruba.Domain.Billing;

public enum InvoiceLineKind
{
    /// <summary>The recurring base fee for a fee period (possibly prorated by days).</summary>
    BaseFee = 1,

    /// <summary>The difference between what a fee period now costs and what was billed for it in advance.</summary>
    BaseFeeAdjustment = 2,

    /// <summary>A metric's usage under one plan version (one line per tier for graduated pricing).</summary>
    Usage = 3,

    /// <summary>What tops usage up to the plan's minimum commitment.</summary>
    MinimumCommitment = 4,

    /// <summary>On a rerun's supplemental invoice or credit note: what earlier credit notes already gave back for the period.</summary>
    EarlierCredit = 5,
}

/// <summary>
/// One invoice line and how it was computed: quantity x unit price, rounded once to minor units,
/// with the proration factor (days of days) and the tier when they apply.
/// </summary>
public sealed record InvoiceLine(
    InvoiceLineKind Kind,
    string Description,
    Guid PlanVersionId,
    string? MetricCode,
    decimal Quantity,
    decimal UnitPrice,
    string? Tier,
    int? ProrationDays,
    int? ProrationOfDays,
    DateTimeOffset? FeePeriodStart,
    long Amount,
    string Explanation);

/// <summary>Credit drawn from one wallet block to pay the invoice.</summary>
public sealed record CreditApplication(Guid BlockId, long Amount, string Explanation);

/// <summary>
/// The rating result for one subscription and period, before it is numbered and finalized. Deterministic:
/// the same inputs give the same draft, and <see cref="Hash"/> of its canonical JSON is byte-for-byte stable.
/// </summary>
public sealed record InvoiceDraft(
    Guid SubscriptionId,
    Guid CustomerId,
    string Currency,
    DateTimeOffset PeriodStart,
    DateTimeOffset PeriodEnd,
    IReadOnlyList<InvoiceLine> Lines,
    long Subtotal,
    IReadOnlyList<CreditApplication> Credits,
    long CreditsApplied,
    long AmountDue)
{
    private static readonly JsonSerializerOptions Canonical = new()
    {
        WriteIndented = false,
        Converters = { new JsonStringEnumConverter() },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Canonical JSON: declared property order, invariant numbers, enums by name.</summary>
    public string ToCanonicalJson() => JsonSerializer.Serialize(this, Canonical);

    public static InvoiceDraft FromCanonicalJson(string json) =>
        JsonSerializer.Deserialize<InvoiceDraft>(json, Canonical) ?? throw new InvalidOperationException("Empty invoice draft.");

    /// <summary>SHA-256 of the canonical JSON, lowercase hex: equal hashes mean identical invoices.</summary>
    public string Hash() => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ToCanonicalJson())));
}
