using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Audit;
using Neruba.Infrastructure.Billing.Corrections;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Payments.Disputes;

public sealed record DisputeNoteView(Guid Id, string Text, DateTimeOffset CreatedAt, string AuthorName);

public sealed record DisputeFileView(Guid Id, string EvidenceField, string StripeFileId, string FileName, string ContentType, long Size,
    DateTimeOffset UploadedAt, string UploadedByName);

public sealed record DisputePostingView(AccountKind Account, string Currency, long Amount);

public sealed record DisputeEntryView(Guid Id, DateTimeOffset At, EntryKind Kind, string ActorName, string Reason, IReadOnlyList<DisputePostingView> Postings);

/// <summary>Who asked to accept the dispute, who accepted it, and whether a second Finance member must approve.</summary>
public sealed record DisputeAcceptView(bool NeedsApproval, string? RequestedById, string? RequestedByName, DateTimeOffset? RequestedAt, string? Reason,
    DateTimeOffset? AcceptedAt, string? AcceptedByName);

/// <summary>The evidence draft (Stripe field → text), when it was saved and staged at Stripe, and whether it may still change.</summary>
public sealed record DisputeEvidenceView(IReadOnlyDictionary<string, string> Text, DateTimeOffset? DraftSavedAt, string? DraftSavedByName,
    DateTimeOffset? StagedAt, DateTimeOffset? SubmittedAt, string? SubmittedByName, string? Refusal, IReadOnlyList<DisputeFileView> Files);

/// <summary>Everything Finance needs to decide on one dispute. The invoice's lines and the customer's balance come from their own queries.</summary>
public sealed record DisputeDetails(DisputeSummary Summary, string? CustomerExternalId, string ChargeId, string? PaymentIntentId, bool IsChargeRefundable,
    long HeldTotal, long ReleasedTotal, long FeeTotal, DateTimeOffset? ClosedAt, bool StripeConfigured, DisputeEvidenceView Evidence, DisputeAcceptView Accept,
    IReadOnlyList<PaymentSummary> Payments, IReadOnlyList<DisputeSummary> EarlierDisputes, IReadOnlyList<DisputeNoteView> Notes,
    IReadOnlyList<DisputeEntryView> Entries, IReadOnlyList<AuditRow> Audit);

public sealed class GetDispute : UseCase<GetDispute.Request, DisputeDetails>
{
    /// <param name="StripeDisputeId">Or Stripe's id (dp_…), as audit records name a dispute.</param>
    public sealed record Request(Guid DisputeId, string? StripeDisputeId = null);

    public override AccessRule Access { get; } = new(Permission.ViewConsole, ApiScopes.BillingRead);

    public override async Task<UseCaseResult<DisputeDetails>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var db = context.Db;
        var row = await DisputeRow.Of(db, context.ProjectId)
            .FirstOrDefaultAsync(r => r.Dispute.Id == request.DisputeId || (request.StripeDisputeId != null && r.Dispute.StripeDisputeId == request.StripeDisputeId),
                cancellationToken);
        if (row is null)
        {
            return UseCaseResult<DisputeDetails>.NotFound(DisputeSupport.NotFound);
        }

        var d = row.Dispute;
        var project = await DisputeSupport.ProjectAsync(context, cancellationToken);
        var externalId = await db.Customers.AsNoTracking().Where(c => c.Id == d.CustomerId).Select(c => c.ExternalId).FirstOrDefaultAsync(cancellationToken);
        var configured = await db.StripeAccounts.AsNoTracking().Where(a => a.ProjectId == context.ProjectId).AnyAsync(StripeAccountRecord.Configured, cancellationToken);
        var payments = d.InvoiceId is { } invoiceId
            ? await db.Payments.AsNoTracking().Where(p => p.InvoiceId == invoiceId && p.ProjectId == context.ProjectId).OrderBy(p => p.RecordedAt)
                .Select(p => new PaymentSummary(p.Id, p.Method, p.Currency, p.Amount, p.ReceivedOn, p.Reference, p.RecordedByName, p.RecordedAt))
                .ToListAsync(cancellationToken)
            : [];
        var earlier = d.CustomerId is { } customerId
            ? (await DisputeRow.Of(db, context.ProjectId).Where(r => r.Dispute.CustomerId == customerId && r.Dispute.Id != d.Id)
                .OrderByDescending(r => r.Dispute.StripeCreatedAt).Take(20).ToListAsync(cancellationToken)).Select(r => r.Summary(context.Now)).ToList()
            : [];
        var notes = await db.DisputeNotes.AsNoTracking().Where(n => n.DisputeId == d.Id).OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id)
            .Select(n => new DisputeNoteView(n.Id, n.Text, n.CreatedAt, n.AuthorName)).ToListAsync(cancellationToken);
        var files = await db.DisputeFiles.AsNoTracking().Where(f => f.DisputeId == d.Id).OrderBy(f => f.UploadedAt)
            .Select(f => new DisputeFileView(f.Id, f.EvidenceField, f.StripeFileId, f.FileName, f.ContentType, f.Size, f.UploadedAt, f.UploadedByName))
            .ToListAsync(cancellationToken);
        var audit = await db.AuditEntries.AsNoTracking()
            .Where(a => a.ProjectId == context.ProjectId && a.TargetType == DisputeSupport.TargetType && a.TargetId == d.StripeDisputeId)
            .OrderByDescending(a => a.At).Take(200)
            .Select(a => new AuditRow(a.Id, a.At, a.ActorKind, a.ActorName, a.Action, a.Outcome, a.TargetType, a.TargetId, a.Before, a.After, a.Reason,
                a.CorrelationId, null, null))
            .ToListAsync(cancellationToken);
        var evidence = new DisputeEvidenceView(EvidenceFields.Parse(d.EvidenceDraft), d.DraftSavedAt, d.DraftSavedByName, d.StagedAt, d.SubmittedAt,
            d.SubmittedByName, DisputeSupport.EvidenceRefusal(d), files);
        var accept = new DisputeAcceptView(DisputeSupport.NeedsApproval(project, d), d.AcceptRequestedById, d.AcceptRequestedByName, d.AcceptRequestedAt,
            d.AcceptReason, d.AcceptedAt, d.AcceptedByName);
        return UseCaseResult<DisputeDetails>.Ok(new DisputeDetails(row.Summary(context.Now), externalId, d.ChargeId, d.PaymentIntentId, d.IsChargeRefundable,
            d.HeldTotal, d.ReleasedTotal, d.FeeTotal, d.ClosedAt, configured, evidence, accept, payments, earlier, notes,
            await EntriesAsync(context, d, cancellationToken), audit));
    }

    /// <summary>The ledger entries the dispute's webhooks posted (hold, release, close), each with its postings by account.</summary>
    private static async Task<IReadOnlyList<DisputeEntryView>> EntriesAsync(UseCaseContext context, DisputeRecord dispute, CancellationToken cancellationToken)
    {
        var link = $"dispute:{dispute.Id}";
        var entries = await context.Db.JournalEntries.AsNoTracking().Where(e => e.ProjectId == context.ProjectId && e.Link == link)
            .Select(e => new { e.Id, e.At, e.Kind, e.ActorName, e.Reason }).ToListAsync(cancellationToken);
        var ids = entries.Select(e => e.Id).ToList();
        var postings = await (from p in context.Db.Postings.AsNoTracking()
                              join a in context.Db.LedgerAccounts.AsNoTracking() on p.AccountId equals a.Id
                              where ids.Contains(p.EntryId)
                              select new { p.EntryId, a.Kind, p.Currency, p.Amount }).ToListAsync(cancellationToken);
        return entries.OrderBy(e => e.At).Select(e => new DisputeEntryView(e.Id, e.At, e.Kind, e.ActorName, e.Reason,
            postings.Where(p => p.EntryId == e.Id).Select(p => new DisputePostingView(p.Kind, p.Currency, p.Amount)).ToList())).ToList();
    }
}
