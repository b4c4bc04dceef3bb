using System.Globalization;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Infrastructure.Payments.Collection;

/// <summary>The rules of collection attempts shared by the use case, the job and the webhook: numbering, failure words and the retry schedule.</summary>
internal static class CollectionAttempts
{
    public const int MaxRetries = 6;
    public const int MaxRetryDays = 60;

    /// <summary>One key per (invoice, attempt): a repeated request or a restarted job finds the same PaymentIntent at Stripe, never a second.</summary>
    public static string IdempotencyKey(Guid invoiceId, int number) => $"neruba-invoice-{invoiceId:N}-attempt-{number}";

    public static CollectionAttemptRecord New(InvoiceRecord invoice, int number, CollectionTrigger trigger, CollectionStatus status, DateTimeOffset now,
        string requestedBy) => new()
    {
        Id = Guid.NewGuid(), ProjectId = invoice.ProjectId, InvoiceId = invoice.Id, CustomerId = invoice.CustomerId, Number = number, Trigger = trigger,
        Status = status, Currency = invoice.Currency, Amount = invoice.AmountDue, IdempotencyKey = IdempotencyKey(invoice.Id, number), CreatedAt = now,
        RequestedByName = requestedBy,
    };

    public static async Task<int> NextNumberAsync(NerubaDbContext db, Guid invoiceId, CancellationToken cancellationToken) =>
        (await db.CollectionAttempts.Where(a => a.InvoiceId == invoiceId).MaxAsync(a => (int?)a.Number, cancellationToken) ?? 0) + 1;

    /// <summary>"1,3,7" → [1, 3, 7]; null with the reason when it is not 0–6 ascending whole days of 1–60.</summary>
    public static IReadOnlyList<int>? ParseSchedule(string? text, out string? error)
    {
        error = null;
        var parts = (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var days = new List<int>();
        foreach (var part in parts)
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var day) || day is < 1 or > MaxRetryDays
                || (days.Count > 0 && day <= days[^1]))
            {
                error = $"Write the retry days as ascending whole numbers of 1–{MaxRetryDays}, separated by commas (e.g. 1,3,7).";
                return null;
            }

            days.Add(day);
        }

        if (days.Count > MaxRetries)
        {
            error = $"At most {MaxRetries} retries.";
            return null;
        }

        return days;
    }

    public static void Fail(CollectionAttemptRecord attempt, string code, string words, DateTimeOffset now)
    {
        if (attempt.Status == CollectionStatus.Succeeded)
        {
            return;
        }

        attempt.Status = CollectionStatus.Failed;
        attempt.FailureCode = code.Length > 64 ? code[..64] : code;
        attempt.FailureMessage = words.Length > CollectionAttemptRecord.MaxMessageLength ? words[..CollectionAttemptRecord.MaxMessageLength] : words;
        attempt.CompletedAt ??= now;
        attempt.Version++;
    }

    public static string FailureWords(string? type, string? declineCode, string? message) => type == "card_error"
        ? $"The card was declined{(declineCode is { Length: > 0 } ? $" ({declineCode.Replace('_', ' ')})" : "")}: {message ?? "no reason given"}"
        : message ?? "Stripe reported the payment failed without a reason.";

    /// <summary>
    /// After a failed attempt, schedules the next one by the project's retry schedule (a Hangfire job at that time), unless a later attempt exists
    /// already, nothing is due any more or the retries are used up. Returns what it did, in words.
    /// </summary>
    public static async Task<string> ScheduleRetryAsync(NerubaDbContext db, CollectionAttemptRecord failed, InvoiceRecord invoice, StripeAccountRecord account,
        DateTimeOffset now, Action<Action> afterCommit, IBackgroundJobClient jobs, CancellationToken cancellationToken)
    {
        var attempts = await db.CollectionAttempts.Where(a => a.InvoiceId == invoice.Id).ToListAsync(cancellationToken);
        if (attempts.Any(a => a.Number > failed.Number))
        {
            return "A later attempt already exists.";
        }

        if (invoice.Status != InvoiceStatus.Finalized || invoice.AmountDue <= 0)
        {
            return "Nothing is due any more, so no retry.";
        }

        if (failed.FailureCode == NoPaymentMethod)
        {
            return "No retry without a default payment method.";
        }

        var schedule = ParseSchedule(account.RetryScheduleDays, out _) ?? [];
        var retriesUsed = attempts.Count(a => a.Trigger == CollectionTrigger.Retry);
        if (retriesUsed >= schedule.Count)
        {
            return schedule.Count == 0 ? "The project retries no failed collections." : $"No retries left ({retriesUsed} of {schedule.Count} used).";
        }

        var next = New(invoice, failed.Number + 1, CollectionTrigger.Retry, CollectionStatus.Scheduled, now, "Retry schedule");
        next.ScheduledFor = now.AddDays(schedule[retriesUsed]);
        db.CollectionAttempts.Add(next);
        var at = next.ScheduledFor.Value;
        var attemptId = next.Id;
        afterCommit(() => jobs.Schedule<CollectionJob>(job => job.RunAsync(attemptId, CancellationToken.None), at));
        return $"Retry {retriesUsed + 1} of {schedule.Count} scheduled for {next.ScheduledFor.Value:yyyy-MM-dd HH:mm} UTC.";
    }

    /// <summary>Cancels the invoice's scheduled retries (it was paid, or Finance collects now); their jobs find them canceled and do nothing.</summary>
    public static async Task CancelScheduledAsync(NerubaDbContext db, Guid invoiceId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var scheduled = await db.CollectionAttempts.Where(a => a.InvoiceId == invoiceId && a.Status == CollectionStatus.Scheduled).ToListAsync(cancellationToken);
        foreach (var attempt in scheduled)
        {
            attempt.Status = CollectionStatus.Canceled;
            attempt.CompletedAt = now;
            attempt.Version++;
        }
    }

    public const string NoPaymentMethod = "no_payment_method";

    /// <summary>
    /// Why what is due on an invoice may not change now: a Stripe collection is under way, and its outcome would land on a different invoice
    /// (a bank transfer recorded meanwhile, a void or a credit note would leave the customer charged twice). Null when nothing is under way.
    /// </summary>
    public static async Task<string?> UnderWayRefusalAsync(NerubaDbContext db, InvoiceRecord invoice, CancellationToken cancellationToken)
    {
        var number = await db.CollectionAttempts.AsNoTracking()
            .Where(a => a.InvoiceId == invoice.Id && (a.Status == CollectionStatus.Requested || a.Status == CollectionStatus.Processing))
            .Select(a => (int?)a.Number).FirstOrDefaultAsync(cancellationToken);
        return number is { } n
            ? $"Attempt {n} to collect {invoice.Number} through Stripe is still under way; wait for its outcome (the invoice's Payments panel) "
              + "before changing what is due, or the customer could pay twice."
            : null;
    }
}
