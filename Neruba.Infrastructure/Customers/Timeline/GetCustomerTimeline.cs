using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Domain.Audit;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Billing.Corrections;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Payments.Disputes;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Customers.Timeline;

/// <summary>
/// Everything that happened to one customer, newest first: the page a support agent reads first. Amounts come from the money
/// records themselves; the audit log fills in what only it knows (edits, subscription changes, write-offs). Each source is read
/// once, newest first and at most one page deep, so a page costs a fixed number of queries however long the history is.
/// </summary>
public sealed class GetCustomerTimeline : UseCase<GetCustomerTimeline.Request, TimelinePage>
{
    public const int MaxPageSize = 100;

    /// <param name="Before">Only what happened strictly before this moment: the previous page's <see cref="TimelinePage.Before"/>.</param>
    public sealed record Request(string? CustomerIdOrExternalId, DateTimeOffset? Before = null, int PageSize = 50);

    public override AccessRule Access { get; } = new(Permission.ViewConsole);

    public override async Task<UseCaseResult<TimelinePage>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var customer = await CustomerRules.FindAsync(context, request.CustomerIdOrExternalId, cancellationToken);
        if (customer is null)
        {
            return UseCaseResult<TimelinePage>.NotFound($"No customer '{request.CustomerIdOrExternalId}' in this project.");
        }

        var size = Math.Clamp(request.PageSize, 1, MaxPageSize);
        var before = request.Before ?? DateTimeOffset.MaxValue;
        var source = new TimelineSources(context.Db, context.ProjectId, customer.Id, before, size);
        // The customer's own record knows when it was created, also for customers imported or seeded without an audit record.
        var items = new List<TimelineItem> { new(customer.CreatedAt, TimelineKind.CustomerCreated, $"Customer {customer.Name} created", null, null, null, null) };
        var invoices = await source.InvoicesAsync(items, cancellationToken);
        await source.CreditNotesAsync(items, cancellationToken);
        await source.PaymentsAsync(items, cancellationToken);
        await source.RefundsAsync(items, cancellationToken);
        await source.DisputesAsync(items, cancellationToken);
        await source.GrantsAsync(items, cancellationToken);
        await source.ExpiriesAsync(items, cancellationToken);
        await source.NotesAsync(items, cancellationToken);
        await source.AuditAsync(items, invoices, cancellationToken);

        var page = items.Where(i => i.At < before).OrderByDescending(i => i.At).ThenBy(i => i.Kind).Take(size).ToList();
        return UseCaseResult<TimelinePage>.Ok(new TimelinePage(page, page.Count == size ? page[^1].At : null));
    }
}

/// <summary>The timeline's sources, each one query, newest first, at most one page.</summary>
internal sealed class TimelineSources(Persistence.NerubaDbContext db, Guid projectId, Guid customerId, DateTimeOffset before, int size)
{
    private static string InvoiceLink(string number) => $"/invoices/{number}";

    /// <returns>The numbers of the invoices read, for the audit records that name them.</returns>
    public async Task<List<string>> InvoicesAsync(List<TimelineItem> items, CancellationToken cancellationToken)
    {
        var invoices = await db.Invoices.AsNoTracking()
            .Where(i => i.ProjectId == projectId && i.CustomerId == customerId && (i.FinalizedAt < before || i.VoidedAt < before))
            .OrderByDescending(i => i.VoidedAt ?? i.FinalizedAt).Take(size)
            .Select(i => new { i.Sequence, i.FinalizedAt, i.VoidedAt, i.VoidedByName, i.VoidReason, i.Currency, Due = i.Subtotal - i.CreditsApplied, i.CorrectsInvoiceId })
            .ToListAsync(cancellationToken);
        // What was due when finalized: later credit notes and payments are their own items.
        foreach (var i in invoices)
        {
            var number = InvoiceRecord.FormatNumber(i.Sequence);
            items.Add(i.CorrectsInvoiceId is null
                ? new(i.FinalizedAt, TimelineKind.InvoiceFinalized, $"Invoice {number} finalized", i.Due, i.Currency, null, InvoiceLink(number))
                : new(i.FinalizedAt, TimelineKind.InvoiceReissued, $"Invoice {number} issued to correct an earlier invoice", i.Due, i.Currency, null,
                    InvoiceLink(number)));
            if (i.VoidedAt is { } voided)
            {
                items.Add(new(voided, TimelineKind.InvoiceVoided, $"Invoice {number} voided: {i.VoidReason}", i.Due, i.Currency, i.VoidedByName,
                    InvoiceLink(number)));
            }
        }

        return [.. invoices.Select(i => InvoiceRecord.FormatNumber(i.Sequence))];
    }

    public async Task CreditNotesAsync(List<TimelineItem> items, CancellationToken cancellationToken)
    {
        var notes = await db.CreditNotes.AsNoTracking()
            .Where(n => n.ProjectId == projectId && n.CustomerId == customerId && (n.IssuedAt < before || n.VoidedAt < before))
            .OrderByDescending(n => n.VoidedAt ?? n.IssuedAt).Take(size)
            .Select(n => new { n.Sequence, n.IssuedAt, n.IssuedByName, n.Total, n.Currency, n.Note, n.VoidedAt, n.VoidedByName, n.VoidReason })
            .ToListAsync(cancellationToken);
        foreach (var n in notes)
        {
            var number = CreditNoteRecord.FormatNumber(n.Sequence);
            var link = $"/credit-notes/{number}";
            items.Add(new(n.IssuedAt, TimelineKind.CreditNoteIssued, $"Credit note {number} issued: {n.Note}", n.Total, n.Currency, n.IssuedByName, link));
            if (n.VoidedAt is { } voided)
            {
                items.Add(new(voided, TimelineKind.CreditNoteVoided, $"Credit note {number} voided: {n.VoidReason}", n.Total, n.Currency, n.VoidedByName, link));
            }
        }
    }

    public async Task PaymentsAsync(List<TimelineItem> items, CancellationToken cancellationToken)
    {
        var payments = await (from p in db.Payments.AsNoTracking()
                              join i in db.Invoices on p.InvoiceId equals i.Id
                              where p.ProjectId == projectId && p.CustomerId == customerId && p.RecordedAt < before
                              orderby p.RecordedAt descending
                              select new { p.RecordedAt, p.Method, p.Amount, p.Currency, p.Reference, p.RecordedByName, i.Sequence })
            .Take(size).ToListAsync(cancellationToken);
        foreach (var p in payments)
        {
            var number = InvoiceRecord.FormatNumber(p.Sequence);
            var how = p.Method == PaymentMethod.Stripe ? "Card payment collected through Stripe" : $"Bank transfer recorded ({p.Reference})";
            items.Add(new(p.RecordedAt, TimelineKind.Payment, $"{how} for invoice {number}", p.Amount, p.Currency, p.RecordedByName, InvoiceLink(number)));
        }
    }

    public async Task RefundsAsync(List<TimelineItem> items, CancellationToken cancellationToken)
    {
        var refunds = await (from r in db.StripeRefunds.AsNoTracking()
                             join n in db.CreditNotes on r.CreditNoteId equals n.Id
                             where r.ProjectId == projectId && r.CustomerId == customerId && r.CreatedAt < before
                             orderby r.CreatedAt descending
                             select new { r.CreatedAt, r.Status, r.Amount, r.Currency, n.Sequence })
            .Take(size).ToListAsync(cancellationToken);
        foreach (var r in refunds)
        {
            var number = CreditNoteRecord.FormatNumber(r.Sequence);
            items.Add(new(r.CreatedAt, TimelineKind.Refund, $"Refund to the card for credit note {number} ({r.Status})", r.Amount, r.Currency, null,
                $"/credit-notes/{number}"));
        }
    }

    public async Task DisputesAsync(List<TimelineItem> items, CancellationToken cancellationToken)
    {
        var disputes = await db.Disputes.AsNoTracking()
            .Where(d => d.ProjectId == projectId && d.CustomerId == customerId && (d.StripeCreatedAt < before || d.ClosedAt < before))
            .OrderByDescending(d => d.ClosedAt ?? d.StripeCreatedAt).Take(size)
            .Select(d => new { d.Id, d.StripeCreatedAt, d.ClosedAt, d.Status, d.Reason, d.Amount, d.Currency })
            .ToListAsync(cancellationToken);
        foreach (var d in disputes)
        {
            var link = $"/disputes/{d.Id}";
            items.Add(new(d.StripeCreatedAt, TimelineKind.DisputeOpened, $"The card holder disputed a payment ({Payments.Disputes.DisputeWords.Reason(d.Reason)})", d.Amount, d.Currency, null, link));
            if (d.ClosedAt is { } closed && d.Status is DisputeStatus.Won or DisputeStatus.Lost)
            {
                var won = d.Status == DisputeStatus.Won;
                items.Add(new(closed, won ? TimelineKind.DisputeWon : TimelineKind.DisputeLost, won ? "Dispute won: the money stays" : "Dispute lost: the money went back",
                    d.Amount, d.Currency, null, link));
            }
        }
    }

    public async Task GrantsAsync(List<TimelineItem> items, CancellationToken cancellationToken)
    {
        var grants = await db.CreditGrants.AsNoTracking()
            .Where(g => g.ProjectId == projectId && g.CustomerId == customerId && (g.RequestedAt < before || g.DecidedAt < before))
            .OrderByDescending(g => g.DecidedAt ?? g.RequestedAt).Take(size)
            .ToListAsync(cancellationToken);
        var link = $"/customers/{customerId}?tab=balance";
        foreach (var g in grants)
        {
            var words = $"{g.Note} ({CreditReasonCodes.All.GetValueOrDefault(g.ReasonCode, g.ReasonCode)})";
            items.Add(g.Status == CreditGrantStatus.Posted
                ? new(g.RequestedAt, TimelineKind.CreditGranted, $"Credit granted: {words}", g.Amount, g.Currency, g.RequestedByName, link)
                : new(g.RequestedAt, TimelineKind.CreditRequested, $"Credit requested for approval: {words}", g.Amount, g.Currency, g.RequestedByName, link));
            if (g.DecidedAt is { } decided)
            {
                var approved = g.Status == CreditGrantStatus.Approved;
                items.Add(new(decided, approved ? TimelineKind.CreditGranted : TimelineKind.CreditRefused,
                    approved ? "Credit approved and posted" : $"Credit request refused: {g.DecisionComment}", g.Amount, g.Currency, g.DecidedByName, link));
            }
        }
    }

    public async Task ExpiriesAsync(List<TimelineItem> items, CancellationToken cancellationToken)
    {
        var expiries = await db.JournalEntries.AsNoTracking()
            .Where(e => e.ProjectId == projectId && e.CustomerId == customerId && e.Kind == EntryKind.CreditExpiry && e.At < before)
            .OrderByDescending(e => e.At).Take(size)
            .Select(e => new { e.At, e.Reason, Posting = e.Postings.Where(p => p.CreditBlockId != null).OrderBy(p => p.Id).Select(p => new { p.Amount, p.Currency }).FirstOrDefault() })
            .ToListAsync(cancellationToken);
        foreach (var e in expiries)
        {
            items.Add(new(e.At, TimelineKind.CreditExpired, $"Unused credit expired: {e.Reason}", e.Posting is null ? null : Math.Abs(e.Posting.Amount),
                e.Posting?.Currency, null, $"/customers/{customerId}?tab=balance"));
        }
    }

    public async Task NotesAsync(List<TimelineItem> items, CancellationToken cancellationToken)
    {
        var notes = await db.CustomerNotes.AsNoTracking()
            .Where(n => n.ProjectId == projectId && n.CustomerId == customerId && n.CreatedAt < before)
            .OrderByDescending(n => n.CreatedAt).Take(size)
            .Select(n => new { n.CreatedAt, n.Text, n.AuthorName, n.ReplacesNoteId })
            .ToListAsync(cancellationToken);
        foreach (var n in notes)
        {
            var text = n.Text.Length > 120 ? n.Text[..120] + "…" : n.Text;
            items.Add(new(n.CreatedAt, TimelineKind.Note, n.ReplacesNoteId is null ? $"Note: {text}" : $"Note edited: {text}", null, null, n.AuthorName, null));
        }
    }

    /// <summary>What only the audit log records: the customer's edits, subscription changes, invoices written off.</summary>
    public async Task AuditAsync(List<TimelineItem> items, List<string> invoiceNumbers, CancellationToken cancellationToken)
    {
        var id = customerId.ToString();
        var subscriptions = db.Subscriptions.Where(s => s.ProjectId == projectId && s.CustomerId == customerId).Select(s => s.Id);
        var ids = await subscriptions.ToListAsync(cancellationToken);
        var subscriptionIds = ids.Select(s => s.ToString()).ToList();
        // One seek per kind of target on (project, target type, target id, at): an OR of the three would walk the whole log by time.
        var entries = (await AuditOfAsync("customer", [id], "customer.updated", cancellationToken))
            .Concat(await AuditOfAsync("subscription", subscriptionIds, null, cancellationToken))
            .Concat(await AuditOfAsync("invoice", invoiceNumbers, "invoice.uncollectible", cancellationToken))
            .OrderByDescending(a => a.At).Take(size).ToList();
        foreach (var a in entries)
        {
            items.Add(a.Action switch
            {
                "customer.updated" => new(a.At, TimelineKind.CustomerEdited, "Customer details changed", null, null, a.ActorName, null),
                "invoice.uncollectible" => new(a.At, TimelineKind.InvoiceUncollectible, $"Invoice {a.TargetId} marked uncollectible: {a.Reason}", null, null,
                    a.ActorName, InvoiceLink(a.TargetId!)),
                _ => new(a.At, TimelineKind.Subscription, SubscriptionWords(a.Action, a.Reason), null, null, a.ActorName,
                    $"/customers/{customerId}?tab=subscription"),
            });
        }
    }

    private async Task<List<AuditLine>> AuditOfAsync(string targetType, List<string> targetIds, string? action, CancellationToken cancellationToken) =>
        targetIds.Count == 0
            ? []
            : await db.AuditEntries.AsNoTracking()
                .Where(a => a.ProjectId == projectId && a.TargetType == targetType && targetIds.Contains(a.TargetId!) && a.At < before
                    && a.Outcome == AuditOutcome.Succeeded && (action == null || a.Action == action))
                .OrderByDescending(a => a.At).Take(size)
                .Select(a => new AuditLine(a.At, a.Action, a.TargetId, a.ActorName, a.Reason))
                .ToListAsync(cancellationToken);

    private sealed record AuditLine(DateTimeOffset At, string Action, string? TargetId, string ActorName, string? Reason);

    private static string SubscriptionWords(string action, string? reason) => action switch
    {
        "subscription.started" => "Subscription started",
        "subscription.plan_changed" => "Subscription plan changed",
        "subscription.cancelled" => $"Subscription cancelled: {reason}",
        _ => $"Subscription: {action}",
    };
}
