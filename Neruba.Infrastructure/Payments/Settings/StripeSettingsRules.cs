using System.Globalization;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Payments.Settings;

/// <summary>
/// What an Admin sees of the project's Stripe account: hints, never a secret. <see cref="WebhookPath"/> is the address to paste into Stripe's
/// webhook endpoint settings (after the console's own address).
/// </summary>
public sealed record StripeSettingsView(bool Exists, bool IsConfigured, string? Mode, string SecretKeyHint, string PublishableKey, string WebhookSecretHint,
    bool AutoCollect, string RetryScheduleDays, DateTimeOffset? LastTestedAt, bool? LastTestSucceeded, string? LastTestMessage, DateTimeOffset? LastWebhookAt,
    string WebhookPath, DateTimeOffset? UpdatedAt, string? UpdatedBy, long Version)
{
    public static string PathFor(string projectSlug) => $"/webhooks/stripe/{projectSlug}";

    public static StripeSettingsView From(StripeAccountRecord? account, string projectSlug) => account is null
        ? new StripeSettingsView(false, false, null, "", "", "", false, StripeAccountRecord.DefaultRetrySchedule, null, null, null, null, PathFor(projectSlug),
            null, null, 0)
        : new StripeSettingsView(true, account.IsConfigured, StripeKeys.ModeOf(account.SecretKeyHint), account.SecretKeyHint, account.PublishableKey,
            account.WebhookSecretHint, account.AutoCollect, account.RetryScheduleDays, account.LastTestedAt, account.LastTestSucceeded, account.LastTestMessage,
            account.LastWebhookAt, PathFor(projectSlug), account.UpdatedAt, account.UpdatedByName, account.Version);

    /// <summary>The state written to the audit log: hints only, so a secret can never reach it.</summary>
    public static object ForAudit(StripeAccountRecord account) => new
    {
        account.SecretKeyHint, account.PublishableKey, account.WebhookSecretHint, account.AutoCollect, account.RetryScheduleDays,
    };
}

/// <summary>The shapes of Stripe's keys and the retry schedule, checked before anything is stored.</summary>
public static class StripeKeys
{
    public const int MaxKeyLength = 255;
    public const int MaxRetries = 6;
    public const int MaxRetryDay = 60;

    /// <summary>"test" or "live" from a key or its hint (<c>sk_test_…</c>, <c>rk_live_…</c>, <c>pk_test_…</c>), or null when it says neither.</summary>
    public static string? ModeOf(string? key) =>
        key is null ? null
        : key.Length > 3 && key.AsSpan(3).StartsWith("test_", StringComparison.Ordinal) ? "test"
        : key.Length > 3 && key.AsSpan(3).StartsWith("live_", StringComparison.Ordinal) ? "live"
        : null;

    public static ValidationErrors SecretKey(ValidationErrors errors, string field, string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return errors;
        }

        return Shaped(key, ["sk_test_", "sk_live_", "rk_test_", "rk_live_"])
            ? errors
            : errors.Add(field, "The secret key starts with sk_test_, sk_live_ or rk_ (a restricted key), as shown in Stripe's dashboard under Developers → API keys.");
    }

    public static ValidationErrors PublishableKey(ValidationErrors errors, string field, string? key) =>
        string.IsNullOrEmpty(key) || Shaped(key, ["pk_test_", "pk_live_"])
            ? errors
            : errors.Add(field, "The publishable key starts with pk_test_ or pk_live_.");

    public static ValidationErrors WebhookSecret(ValidationErrors errors, string field, string? secret) =>
        string.IsNullOrEmpty(secret) || Shaped(secret, ["whsec_"])
            ? errors
            : errors.Add(field, "The webhook signing secret starts with whsec_; Stripe shows it on the webhook endpoint's page (Signing secret → Reveal).");

    /// <summary>The retry days ("1,3,7"), or null with the reason: at most 6 whole days from 1 to 60, each later than the one before. Empty: no retries.</summary>
    public static int[]? ParseRetrySchedule(string? text, out string? error)
    {
        error = null;
        var parts = (text ?? "").Split(',', StringSplitOptions.TrimEntries);
        if (parts is [""])
        {
            return [];
        }

        var days = new List<int>();
        foreach (var part in parts)
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var day) || day is < 1 or > MaxRetryDay)
            {
                error = $"The retry schedule lists whole days from 1 to {MaxRetryDay}, separated by commas (e.g. 1,3,7); '{Shorten(part)}' is not one.";
                return null;
            }

            if (days.Count > 0 && day <= days[^1])
            {
                error = $"The retry days go up: each retry comes after the one before ({days[^1]} then {day} does not).";
                return null;
            }

            days.Add(day);
        }

        if (days.Count > MaxRetries)
        {
            error = $"At most {MaxRetries} retries; the schedule lists {days.Count}.";
            return null;
        }

        return [.. days];
    }

    public static string FormatRetrySchedule(int[] days) => string.Join(",", days.Select(d => d.ToString(CultureInfo.InvariantCulture)));

    private static bool Shaped(string key, string[] prefixes) =>
        key.Length <= MaxKeyLength && prefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal)) && key.Length > prefixes[0].Length
        && key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private static string Shorten(string text) => text.Length > 20 ? text[..20] + "…" : text;
}
