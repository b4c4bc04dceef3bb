using System.Text.Encodings.Web;
using System.Text.Json;
using Neruba.Infrastructure.Payments;
using Neruba.Infrastructure.Payments.Webhooks;

namespace Neruba.Console.Components.Pages.Payments;

/// <summary>A Stripe event's outcome and payload as the Webhooks page writes them.</summary>
public static class StripeEventText
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Outcome(StripeEventSummary e) => e.Status switch
    {
        StripeEventStatus.Failed => e.LastError ?? "Processing failed.",
        StripeEventStatus.Received => e.LastError is { } error ? "Not processed yet; last try: " + error : "Not processed yet.",
        StripeEventStatus.Ignored => e.Outcome ?? "Neruba does not act on this type of event.",
        _ => e.Outcome ?? "Processed.",
    };

    /// <summary>Only Failed and never-processed events can be processed again; a processed one never is.</summary>
    public static bool CanProcessAgain(StripeEventStatus status) => status is StripeEventStatus.Failed or StripeEventStatus.Received;

    /// <summary>The payload indented for reading; as stored when it is not JSON.</summary>
    public static string Pretty(string payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            return JsonSerializer.Serialize(document.RootElement, Indented);
        }
        catch (JsonException)
        {
            return payload;
        }
    }
}
