using System.Globalization;

namespace Neruba.Infrastructure.Payments.Disputes;

/// <summary>The queue's status filter: what Finance asks for, not Stripe's eight statuses.</summary>
public enum DisputeFilter
{
    /// <summary>Not closed yet (chargebacks and inquiries).</summary>
    Open = 1,
    NeedsResponse = 2,
    UnderReview = 3,
    Won = 4,
    Lost = 5,

    /// <summary>Inquiries (Stripe's <c>warning_*</c>): no money moved yet.</summary>
    Inquiries = 6,
    All = 7,
}

/// <summary>Stripe's dispute codes in words, shared by the console and the API so both say the same thing.</summary>
public static class DisputeWords
{
    public static readonly IReadOnlyDictionary<string, string> Reasons = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["bank_cannot_process"] = "Bank cannot process",
        ["check_returned"] = "Check returned",
        ["credit_not_processed"] = "Credit not processed",
        ["customer_initiated"] = "Customer initiated",
        ["debit_not_authorized"] = "Debit not authorized",
        ["duplicate"] = "Duplicate charge",
        ["fraudulent"] = "Fraudulent (card holder did not authorize it)",
        ["general"] = "General",
        ["incorrect_account_details"] = "Incorrect account details",
        ["insufficient_funds"] = "Insufficient funds",
        ["noncompliant"] = "Noncompliant",
        ["product_not_received"] = "Product not received",
        ["product_unacceptable"] = "Product unacceptable",
        ["subscription_canceled"] = "Subscription canceled",
        ["unrecognized"] = "Unrecognized charge",
    };

    public static string Reason(string code) =>
        Reasons.TryGetValue(code, out var words) ? words : CultureInfo.InvariantCulture.TextInfo.ToTitleCase(code.Replace('_', ' '));

    public static string Status(DisputeStatus status) => status switch
    {
        DisputeStatus.WarningNeedsResponse => "Inquiry: needs response",
        DisputeStatus.WarningUnderReview => "Inquiry: under review",
        DisputeStatus.WarningClosed => "Inquiry closed",
        DisputeStatus.NeedsResponse => "Needs response",
        DisputeStatus.UnderReview => "Under review at the bank",
        DisputeStatus.Won => "Won",
        DisputeStatus.Lost => "Lost",
        DisputeStatus.Prevented => "Prevented",
        _ => status.ToString(),
    };

    /// <summary>A status filter as written in a link or a query (needs_response, NeedsResponse, all); null when it names none.</summary>
    public static DisputeFilter? ParseFilter(string? text) =>
        text is not null && !int.TryParse(text, out _)
        && Enum.TryParse<DisputeFilter>(text.Replace("_", "", StringComparison.Ordinal), ignoreCase: true, out var filter) && Enum.IsDefined(filter)
            ? filter
            : null;

    public const string FilterNames = "open, needs_response, under_review, won, lost, inquiries, all";

    /// <summary>Stripe's own spelling of a status (needs_response), as the API writes it.</summary>
    public static string StripeCode(DisputeStatus status) =>
        string.Concat(status.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    /// <summary>"2 d 4 h left", "5 h left", "overdue by 1 d 2 h": whole hours, rounded down.</summary>
    public static string TimeLeft(DateTimeOffset due, DateTimeOffset now)
    {
        var left = due - now;
        var span = left.Duration();
        var days = (int)span.TotalDays;
        var hours = span.Hours;
        var text = days > 0 ? $"{days} d {hours} h" : hours > 0 ? $"{hours} h" : $"{Math.Max(span.Minutes, 1)} min";
        return left >= TimeSpan.Zero ? $"{text} left" : $"overdue by {text}";
    }
}
