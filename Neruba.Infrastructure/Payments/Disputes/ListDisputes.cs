using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Persistence;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Payments.Disputes;

/// <summary>A dispute as the queue and the API list it: amounts, words for its codes, and how long is left to answer.</summary>
/// <param name="Overdue">The evidence is due, none was submitted, and the dispute still waits for a response.</param>
public sealed record DisputeSummary(Guid Id, string StripeDisputeId, DisputeStatus Status, string StatusText, string Reason, string ReasonText,
    string Currency, long Amount, DateTimeOffset? EvidenceDueBy, string? TimeLeft, bool Overdue, Guid? CustomerId, string? CustomerName, Guid? InvoiceId,
    string? InvoiceNumber, DateTimeOffset? SubmittedAt, DateTimeOffset? AcceptRequestedAt, DateTimeOffset StripeCreatedAt);

/// <summary>The project's disputes for Finance, soonest evidence due first; closed ones and those without a due date after.</summary>
public sealed class ListDisputes : UseCase<ListDisputes.Request, PageOf<DisputeSummary>>
{
    /// <param name="InvoiceId">Only the disputes of this invoice (the invoice page lists them).</param>
    public sealed record Request(DisputeFilter? Filter, string? Reason, int Page, int PageSize, Guid? InvoiceId = null);

    public override AccessRule Access { get; } = new(Permission.ViewConsole, ApiScopes.BillingRead);

    public override ValidationErrors Validate(Request request) =>
        string.IsNullOrWhiteSpace(request.Reason) || DisputeWords.Reasons.ContainsKey(request.Reason.Trim())
            ? ValidationErrors.None
            : new ValidationErrors().Add("reason", $"reason is one of {string.Join(", ", DisputeWords.Reasons.Keys)}.");

    public override async Task<UseCaseResult<PageOf<DisputeSummary>>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var query = Filtered(DisputeRow.Of(context.Db, context.ProjectId), request.Filter ?? DisputeFilter.Open);
        if (!string.IsNullOrWhiteSpace(request.Reason))
        {
            var reason = request.Reason.Trim();
            query = query.Where(r => r.Dispute.Reason == reason);
        }

        if (request.InvoiceId is { } invoiceId)
        {
            query = query.Where(r => r.Dispute.InvoiceId == invoiceId);
        }

        var page = await query.PageAsync(Ordered, request.Page, request.PageSize, r => r, cancellationToken);
        return UseCaseResult<PageOf<DisputeSummary>>.Ok(new PageOf<DisputeSummary>(page.Items.Select(r => r.Summary(context.Now)).ToList(), page.Total,
            page.Page, page.PageSize));
    }

    private static IQueryable<DisputeRow> Filtered(IQueryable<DisputeRow> rows, DisputeFilter filter) => filter switch
    {
        DisputeFilter.Open => rows.Where(r => r.Dispute.Status != DisputeStatus.Won && r.Dispute.Status != DisputeStatus.Lost
            && r.Dispute.Status != DisputeStatus.WarningClosed && r.Dispute.Status != DisputeStatus.Prevented),
        DisputeFilter.NeedsResponse => rows.Where(r => r.Dispute.Status == DisputeStatus.NeedsResponse || r.Dispute.Status == DisputeStatus.WarningNeedsResponse),
        DisputeFilter.UnderReview => rows.Where(r => r.Dispute.Status == DisputeStatus.UnderReview || r.Dispute.Status == DisputeStatus.WarningUnderReview),
        DisputeFilter.Won => rows.Where(r => r.Dispute.Status == DisputeStatus.Won),
        DisputeFilter.Lost => rows.Where(r => r.Dispute.Status == DisputeStatus.Lost),
        DisputeFilter.Inquiries => rows.Where(r => r.Dispute.Status == DisputeStatus.WarningNeedsResponse || r.Dispute.Status == DisputeStatus.WarningUnderReview
            || r.Dispute.Status == DisputeStatus.WarningClosed),
        _ => rows,
    };

    // Open with a due date first, soonest first; then open without one; closed last, newest first. The id keeps equal keys in one order across pages.
    private static IQueryable<DisputeRow> Ordered(IQueryable<DisputeRow> rows) => rows
        .OrderBy(r => r.Dispute.Status == DisputeStatus.Won || r.Dispute.Status == DisputeStatus.Lost || r.Dispute.Status == DisputeStatus.WarningClosed
            || r.Dispute.Status == DisputeStatus.Prevented ? 1 : 0)
        .ThenBy(r => r.Dispute.EvidenceDueBy == null ? 1 : 0)
        .ThenBy(r => r.Dispute.EvidenceDueBy)
        .ThenByDescending(r => r.Dispute.StripeCreatedAt)
        .ThenBy(r => r.Dispute.Id);
}

/// <summary>A dispute with its customer's name and invoice number, for lists.</summary>
internal sealed class DisputeRow
{
    public required DisputeRecord Dispute { get; init; }

    public string? CustomerName { get; init; }

    public long? InvoiceSequence { get; init; }

    public DisputeSummary Summary(DateTimeOffset now)
    {
        var d = Dispute;
        var overdue = d is { NeedsResponse: true, SubmittedAt: null, EvidenceDueBy: { } due } && due <= now;
        var timeLeft = d is { IsClosed: false, SubmittedAt: null, EvidenceDueBy: { } dueBy } ? DisputeWords.TimeLeft(dueBy, now) : null;
        return new DisputeSummary(d.Id, d.StripeDisputeId, d.Status, DisputeWords.Status(d.Status), d.Reason, DisputeWords.Reason(d.Reason), d.Currency,
            d.Amount, d.EvidenceDueBy, timeLeft, overdue, d.CustomerId, CustomerName, d.InvoiceId,
            InvoiceSequence is { } sequence ? InvoiceRecord.FormatNumber(sequence) : null, d.SubmittedAt, d.AcceptRequestedAt, d.StripeCreatedAt);
    }

    public static IQueryable<DisputeRow> Of(NerubaDbContext db, Guid projectId) =>
        from d in db.Disputes.AsNoTracking()
        where d.ProjectId == projectId
        select new DisputeRow
        {
            Dispute = d,
            CustomerName = db.Customers.Where(c => c.Id == d.CustomerId).Select(c => c.Name).FirstOrDefault(),
            InvoiceSequence = db.Invoices.Where(i => i.Id == d.InvoiceId).Select(i => (long?)i.Sequence).FirstOrDefault(),
        };
}
