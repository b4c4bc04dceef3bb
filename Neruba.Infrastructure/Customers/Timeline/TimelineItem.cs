namespace Neruba.Infrastructure.Customers.Timeline;

/// <summary>What kind of thing happened to a customer; the console picks an icon and a colour by it.</summary>
public enum TimelineKind
{
    CustomerCreated,
    CustomerEdited,
    Subscription,
    CreditRequested,
    CreditGranted,
    CreditRefused,
    CreditExpired,
    InvoiceFinalized,
    InvoiceReissued,
    InvoiceVoided,
    InvoiceUncollectible,
    CreditNoteIssued,
    CreditNoteVoided,
    Payment,
    Refund,
    DisputeOpened,
    DisputeWon,
    DisputeLost,
    Note,
}

/// <summary>One thing that happened to a customer: when, what (in words), how much where money moved, who, and the page that shows it.</summary>
public sealed record TimelineItem(DateTimeOffset At, TimelineKind Kind, string Words, long? Amount, string? Currency, string? Who, string? Link);

/// <summary>A page of the timeline, newest first; <see cref="Before"/> asks for the next (older) page.</summary>
public sealed record TimelinePage(IReadOnlyList<TimelineItem> Items, DateTimeOffset? Before);
