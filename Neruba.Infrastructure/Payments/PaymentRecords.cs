namespace Neruba.Infrastructure.Payments;

/// <summary>
/// A project's Stripe account as an Admin configured it. The secret key and the webhook signing secret are stored only encrypted with
/// ASP.NET Core Data Protection; a hint (the last characters) is all that is ever shown again.
/// </summary>
public sealed class StripeAccountRecord
{
    public const string DefaultRetrySchedule = "1,3,7";

    public Guid ProjectId { get; set; }
    public string SecretKeyProtected { get; set; } = "";
    public string SecretKeyHint { get; set; } = "";
    public string PublishableKey { get; set; } = "";
    public string WebhookSecretProtected { get; set; } = "";
    public string WebhookSecretHint { get; set; } = "";

    /// <summary>Collect a finalized invoice at once when its customer has a default payment method in Stripe.</summary>
    public bool AutoCollect { get; set; }

    /// <summary>Days after a failed collection attempt to try again, comma-separated (e.g. "1,3,7": three retries).</summary>
    public string RetryScheduleDays { get; set; } = DefaultRetrySchedule;

    public DateTimeOffset UpdatedAt { get; set; }
    public string UpdatedByName { get; set; } = "";
    public DateTimeOffset? LastTestedAt { get; set; }
    public bool? LastTestSucceeded { get; set; }
    public string? LastTestMessage { get; set; }

    /// <summary>When the last verified webhook arrived (for readiness).</summary>
    public DateTimeOffset? LastWebhookAt { get; set; }

    public long Version { get; set; }

    public bool IsConfigured => SecretKeyProtected.Length > 0 && WebhookSecretProtected.Length > 0;

    /// <summary><see cref="IsConfigured"/> as a query the database answers.</summary>
    public static readonly System.Linq.Expressions.Expression<Func<StripeAccountRecord, bool>> Configured =
        a => a.SecretKeyProtected != "" && a.WebhookSecretProtected != "";
}

/// <summary>The Stripe customer a Neruba customer is linked to; created on first need with an idempotency key derived from the customer, once.</summary>
public sealed class StripeCustomerRecord
{
    public Guid Id { get; set; }
    public Guid ProjectId { get; set; }
    public Guid CustomerId { get; set; }
    public string StripeCustomerId { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>Credit a customer can buy through Stripe Checkout: a price and the credit it buys, in one currency. Archived, never deleted.</summary>
public sealed class CreditPackRecord
{
    public const int MaxNameLength = 100;

    public Guid Id { get; set; }
    public Guid ProjectId { get; set; }
    public string Name { get; set; } = "";
    public string Currency { get; set; } = "";

    /// <summary>What the customer pays, minor units.</summary>
    public long Price { get; set; }

    /// <summary>The credit it buys, minor units (may exceed the price: a bonus).</summary>
    public long Credit { get; set; }

    public int? ExpiryDays { get; set; }
    public int Priority { get; set; }
    public bool Archived { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedByName { get; set; } = "";
    public long Version { get; set; }
}

public enum CheckoutStatus
{
    /// <summary>Created; the link was handed out and nothing was paid yet.</summary>
    Open = 1,

    /// <summary>Completed with a delayed payment method: nothing is posted until Stripe says the money arrived.</summary>
    AwaitingPayment = 2,

    Paid = 3,
    PaymentFailed = 4,
    Expired = 5,
}

/// <summary>
/// One Checkout Session for a credit pack. The pack's terms are copied in, so changing the pack later does not change what this purchase buys.
/// The credit is posted once, from the verified webhook, with the session id as the ledger idempotency key.
/// </summary>
public sealed class CheckoutSessionRecord
{
    public Guid Id { get; set; }
    public Guid ProjectId { get; set; }
    public Guid CustomerId { get; set; }
    public Guid PackId { get; set; }
    public string PackName { get; set; } = "";
    public string Currency { get; set; } = "";
    public long Price { get; set; }
    public long Credit { get; set; }
    public int? ExpiryDays { get; set; }
    public int Priority { get; set; }
    public string StripeSessionId { get; set; } = "";
    public string Url { get; set; } = "";
    public CheckoutStatus Status { get; set; } = CheckoutStatus.Open;
    public string? PaymentIntentId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedByName { get; set; } = "";
    public DateTimeOffset? PaidAt { get; set; }
    public Guid? EntryId { get; set; }
    public long Version { get; set; }
}

public enum CollectionTrigger
{
    /// <summary>Started after finalization because the project collects automatically.</summary>
    Automatic = 1,

    /// <summary>Finance pressed "Collect now" on the invoice page.</summary>
    Manual = 2,

    /// <summary>The project's retry schedule after a failed attempt.</summary>
    Retry = 3,
}

public enum CollectionStatus
{
    /// <summary>A retry waiting for its time (a Hangfire job is scheduled).</summary>
    Scheduled = 1,

    /// <summary>The PaymentIntent is being created; if the process stopped here, the same idempotency key finds it again.</summary>
    Requested = 2,

    /// <summary>Stripe accepted the PaymentIntent; its outcome arrives as a webhook.</summary>
    Processing = 3,

    Succeeded = 4,
    Failed = 5,

    /// <summary>Not needed any more (the invoice was paid or corrected another way) or stopped by Finance.</summary>
    Canceled = 6,
}

/// <summary>
/// One attempt to collect an invoice through a PaymentIntent. Numbered per invoice; the idempotency key is (invoice, number), so a retried
/// request or a restarted job never creates a second PaymentIntent for the same attempt. Status only moves forward (see <see cref="CollectionStates"/>).
/// </summary>
public sealed class CollectionAttemptRecord
{
    public const int MaxMessageLength = 500;

    public Guid Id { get; set; }
    public Guid ProjectId { get; set; }
    public Guid InvoiceId { get; set; }
    public Guid CustomerId { get; set; }
    public int Number { get; set; }
    public CollectionTrigger Trigger { get; set; }
    public CollectionStatus Status { get; set; }
    public string Currency { get; set; } = "";
    public long Amount { get; set; }
    public string IdempotencyKey { get; set; } = "";
    public string? PaymentIntentId { get; set; }
    public string? ChargeId { get; set; }
    public string? FailureCode { get; set; }
    public string? FailureMessage { get; set; }

    /// <summary>Stripe's fee on the charge, once its balance transaction is known.</summary>
    public long? Fee { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ScheduledFor { get; set; }
    public string? JobId { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public string RequestedByName { get; set; } = "";
    public long Version { get; set; }
}

public enum RefundStatus
{
    /// <summary>Owed; the call to Stripe has not been confirmed yet (a job makes it, with the same idempotency key on every try).</summary>
    Requested = 1,

    /// <summary>Stripe accepted it and has not finished it.</summary>
    Pending = 2,

    Succeeded = 3,

    /// <summary>Stripe refused or could not deliver it; still owed, and Finance can try again.</summary>
    Failed = 4,

    Canceled = 5,
}

/// <summary>
/// The refund part of a credit note, paid back through Stripe against one Stripe payment. The credit note already moved the amount to
/// refunds pending; the entry that settles it (refunds pending → clearing) is posted when Stripe confirms the refund.
/// </summary>
public sealed class StripeRefundRecord
{
    public Guid Id { get; set; }
    public Guid ProjectId { get; set; }
    public Guid CustomerId { get; set; }
    public Guid InvoiceId { get; set; }
    public Guid CreditNoteId { get; set; }
    public Guid PaymentId { get; set; }
    public string PaymentIntentId { get; set; } = "";
    public string Currency { get; set; } = "";
    public long Amount { get; set; }
    public RefundStatus Status { get; set; } = RefundStatus.Requested;

    /// <summary>Counts Finance's retries after a failure: each try has its own idempotency key, a repeat of one try never two refunds.</summary>
    public int Attempt { get; set; } = 1;

    public string? StripeRefundId { get; set; }
    public string? FailureReason { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public Guid? EntryId { get; set; }
    public long Version { get; set; }

    public string IdempotencyKey => $"neruba-refund-{Id:N}-{Attempt}";
}

public enum StripeEventStatus
{
    /// <summary>Verified and stored; not processed yet.</summary>
    Received = 1,

    Processed = 2,

    /// <summary>Processing threw; retried with backoff, and by hand from the Webhooks page.</summary>
    Failed = 3,

    /// <summary>Verified, but of a type Neruba does not act on.</summary>
    Ignored = 4,
}

/// <summary>
/// A verified Stripe event, stored by its Stripe id before anything is done with it (unique per project), so a duplicate delivery is
/// recognised and a process stopped mid-way finds it again. Processing sets <see cref="Status"/> in the same save as its ledger entries.
/// </summary>
public sealed class StripeEventRecord
{
    public const int MaxErrorLength = 2000;

    public Guid Id { get; set; }
    public Guid ProjectId { get; set; }
    public string StripeEventId { get; set; } = "";
    public string Type { get; set; } = "";
    public string ApiVersion { get; set; } = "";
    public string? ObjectId { get; set; }
    public DateTimeOffset StripeCreatedAt { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    public string Payload { get; set; } = "";
    public StripeEventStatus Status { get; set; } = StripeEventStatus.Received;
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    public string? Outcome { get; set; }
    public DateTimeOffset? ProcessedAt { get; set; }
    public int Deliveries { get; set; } = 1;
    public long Version { get; set; }
}
