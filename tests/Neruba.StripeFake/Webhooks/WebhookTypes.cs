namespace Neruba.StripeFake.Webhooks;

public enum WebhookMode
{
    /// <summary>Delivered in the background as events happen, retried on non-2xx.</summary>
    Immediate,

    /// <summary>Queued until <see cref="WebhookDispatcher.DeliverPendingAsync"/>.</summary>
    Manual,
}

public enum WebhookTampering
{
    None,

    /// <summary>Signed with the wrong secret.</summary>
    BadSignature,

    /// <summary>Signed correctly but with t = now − 1 hour (outside Stripe.net's 300 s tolerance).</summary>
    StaleTimestamp,

    /// <summary>Sent twice.</summary>
    Duplicate,
}

public sealed record WebhookTarget(string Url, string Secret);

/// <summary>One POST to one target.</summary>
public sealed record WebhookDelivery(
    string EventId,
    string EventType,
    string Url,
    int? StatusCode,
    DateTimeOffset At,
    int Attempt,
    WebhookTampering Tampering,
    string? Error)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;
}
