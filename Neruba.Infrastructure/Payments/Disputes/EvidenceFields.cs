using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Neruba.Infrastructure.UseCases;
using Stripe;

namespace Neruba.Infrastructure.Payments.Disputes;

/// <summary>One of Stripe's evidence fields: its Stripe name, the words the form shows, and how it is set on Stripe.net's options.</summary>
public sealed record EvidenceField(string Code, string Label, string Help, bool IsFile, int MaxLength, Action<DisputeEvidenceOptions, string> Set);

/// <summary>
/// The evidence fields Neruba offers (a subset of Stripe's: what a usage-billed service can prove), and the draft as JSON. Text fields are typed;
/// file fields hold the id of a file uploaded through Stripe's Files API.
/// </summary>
public static class EvidenceFields
{
    /// <summary>Stripe's cap on most text fields.</summary>
    public const int MaxText = 20_000;

    // The draft is kept as JSON; text is counted as typed (not as \u escapes), and Blazor encodes it when it is shown.
    private static readonly JsonSerializerOptions DraftJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The evidence text as the draft column keeps it.</summary>
    public static string Serialize(IReadOnlyDictionary<string, string> text) => JsonSerializer.Serialize(text, DraftJson);

    public static readonly IReadOnlyList<EvidenceField> All =
    [
        new("product_description", "Product or service", "What the customer bought: the plan and the usage billed.", false, MaxText, (o, v) => o.ProductDescription = v),
        new("customer_name", "Customer name", "The name on the account.", false, 5000, (o, v) => o.CustomerName = v),
        new("customer_email_address", "Customer email", "The email address on the account.", false, 5000, (o, v) => o.CustomerEmailAddress = v),
        new("billing_address", "Billing address", "The billing address the customer gave.", false, 5000, (o, v) => o.BillingAddress = v),
        new("customer_purchase_ip", "Customer IP address", "The IP address the customer signed up or paid from.", false, 5000, (o, v) => o.CustomerPurchaseIp = v),
        new("service_date", "Service date", "When the service was provided (the billing period).", false, 5000, (o, v) => o.ServiceDate = v),
        new("access_activity_log", "Usage and access log", "Usage events, sign-ins and API calls that show the customer used the service.", false, MaxText, (o, v) => o.AccessActivityLog = v),
        new("cancellation_rebuttal", "Why the subscription was not canceled", "If the customer says they canceled.", false, MaxText, (o, v) => o.CancellationRebuttal = v),
        new("refund_refusal_explanation", "Why no refund was given", "If the customer asked for a refund.", false, MaxText, (o, v) => o.RefundRefusalExplanation = v),
        new("uncategorized_text", "Anything else", "Any other facts that support the charge.", false, MaxText, (o, v) => o.UncategorizedText = v),
        new("receipt", "Receipt or invoice", "The invoice PDF the customer received.", true, 0, (o, v) => o.Receipt = v),
        new("customer_communication", "Customer communication", "Emails or messages with the customer.", true, 0, (o, v) => o.CustomerCommunication = v),
        new("service_documentation", "Service documentation", "Usage reports, terms of service, contracts.", true, 0, (o, v) => o.ServiceDocumentation = v),
        new("uncategorized_file", "Other file", "Any other document that supports the charge.", true, 0, (o, v) => o.UncategorizedFile = v),
    ];

    public static readonly IReadOnlySet<string> AllowedContentTypes = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "application/pdf", "image/png", "image/jpeg",
    };

    private static readonly Dictionary<string, EvidenceField> ByCode = All.ToDictionary(f => f.Code, StringComparer.Ordinal);

    public static IEnumerable<EvidenceField> Text => All.Where(f => !f.IsFile);

    public static IEnumerable<EvidenceField> Files => All.Where(f => f.IsFile);

    public static EvidenceField? Find(string? code) => code is not null && ByCode.TryGetValue(code, out var field) ? field : null;

    public static Dictionary<string, string> Parse(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>The text fields of <paramref name="draft"/> that Neruba knows, trimmed, blank ones left out; sorted so the same draft is the same JSON.</summary>
    public static SortedDictionary<string, string> Clean(IReadOnlyDictionary<string, string?>? draft) =>
        new(Text.Where(f => draft?.GetValueOrDefault(f.Code) is { } value && !string.IsNullOrWhiteSpace(value))
            .ToDictionary(f => f.Code, f => draft![f.Code]!.Trim(), StringComparer.Ordinal), StringComparer.Ordinal);

    /// <summary>Words for each field that is unknown or too long.</summary>
    public static ValidationErrors Check(IReadOnlyDictionary<string, string?>? draft)
    {
        var problems = new ValidationErrors();
        foreach (var (code, value) in draft ?? new Dictionary<string, string?>())
        {
            if (Find(code) is not { IsFile: false } field)
            {
                problems.Add(code, $"'{code}' is not an evidence text field Neruba sends to Stripe.");
            }
            else if (value is not null && value.Trim().Length > field.MaxLength)
            {
                problems.Add(code, $"{field.Label} is at most {field.MaxLength:N0} characters.");
            }
        }

        return problems;
    }

    /// <summary>Stripe.net's evidence options: every known text field (blank clears it at Stripe) and the latest file per file field.</summary>
    public static DisputeEvidenceOptions Options(IReadOnlyDictionary<string, string> text, IReadOnlyDictionary<string, string> files)
    {
        var options = new DisputeEvidenceOptions();
        foreach (var field in Text)
        {
            field.Set(options, text.GetValueOrDefault(field.Code) ?? "");
        }

        foreach (var (code, fileId) in files)
        {
            Find(code)?.Set(options, fileId);
        }

        return options;
    }

    /// <summary>A short fingerprint of what is staged, so staging the same evidence twice reuses one idempotency key.</summary>
    public static string Fingerprint(IReadOnlyDictionary<string, string> text, IReadOnlyDictionary<string, string> files) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { text, files }))))[..24].ToLowerInvariant();
}
