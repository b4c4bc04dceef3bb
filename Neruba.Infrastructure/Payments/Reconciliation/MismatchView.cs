using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Payments.Reconciliation;

/// <summary>A mismatch with both sides, as the queue, its detail and the API show it.</summary>
public sealed record MismatchView(Guid Id, MismatchKind Kind, MismatchStatus Status, string SourceId, string? BalanceTransactionId, string ReportingCategory,
    string Currency, long? StripeAmount, long? LedgerAmount, long? StripeFee, long? LedgerFee, DateTimeOffset OccurredAt, string StripeSide, string LedgerSide,
    string SuggestedAction, Guid FirstRunId, Guid LastRunId, DateTimeOffset FirstSeenAt, DateTimeOffset LastSeenAt, string? ApprovalRequestedByName,
    DateTimeOffset? ApprovalRequestedAt, string? ProposedReason, DateTimeOffset? ResolvedAt, string? ResolvedByName, string? ResolutionNote)
{
    public bool WaitsForApproval => Status == MismatchStatus.Open && ApprovalRequestedAt is not null;

    /// <summary>Finance can post an entry for these: a fee difference, or a charge the ledger has nothing for.</summary>
    public bool CanPost => Status == MismatchStatus.Open
        && (Kind == MismatchKind.FeeNotRecorded || (Kind == MismatchKind.MissingInLedger && SourceId.StartsWith("ch_", StringComparison.Ordinal)));

    /// <summary>A charge, refund or dispute can be fetched again and processed as its webhook.</summary>
    public bool CanReprocess => Status == MismatchStatus.Open && Kind != MismatchKind.MissingInStripe
        && (SourceId.StartsWith("ch_", StringComparison.Ordinal) || SourceId.StartsWith("re_", StringComparison.Ordinal) || SourceId.StartsWith("dp_", StringComparison.Ordinal));

    internal static readonly Expression<Func<ReconciliationMismatchRecord, MismatchView>> Select = m => new MismatchView(m.Id, m.Kind, m.Status, m.SourceId,
        m.BalanceTransactionId, m.ReportingCategory, m.Currency, m.StripeAmount, m.LedgerAmount, m.StripeFee, m.LedgerFee, m.OccurredAt, m.StripeSide,
        m.LedgerSide, m.SuggestedAction, m.FirstRunId, m.LastRunId, m.FirstSeenAt, m.LastSeenAt, m.ApprovalRequestedByName, m.ApprovalRequestedAt,
        m.ProposedReason, m.ResolvedAt, m.ResolvedByName, m.ResolutionNote);

    private static readonly Func<ReconciliationMismatchRecord, MismatchView> Compiled = Select.Compile();

    public static MismatchView Of(ReconciliationMismatchRecord record) => Compiled(record);

    public object ForAudit() => new { Kind, Status, SourceId, Currency, StripeAmount, LedgerAmount, StripeFee, LedgerFee, ResolutionNote };
}

/// <summary>What a resolution did, in words, with the mismatch after it.</summary>
public sealed record MismatchActionResult(MismatchView Mismatch, string Words);

/// <summary>The part every resolution shares: the open mismatch of this project, closed with who, when and why.</summary>
internal static class MismatchResolution
{
    public const int MaxNoteLength = ReconciliationMismatchRecord.MaxTextLength;
    public const string TargetType = "reconciliation-mismatch";

    public static async Task<(ReconciliationMismatchRecord? Mismatch, UseCaseResult<MismatchActionResult>? Refusal)> OpenAsync(UseCaseContext context,
        Guid id, CancellationToken cancellationToken)
    {
        var mismatch = await context.Db.ReconciliationMismatches.SingleOrDefaultAsync(m => m.Id == id && m.ProjectId == context.ProjectId, cancellationToken);
        if (mismatch is null)
        {
            return (null, UseCaseResult<MismatchActionResult>.NotFound("That mismatch does not exist in this project."));
        }

        return mismatch.Status == MismatchStatus.Open ? (mismatch, null) : (null, UseCaseResult<MismatchActionResult>.Conflict(
            $"This mismatch is already {mismatch.Status.ToString().ToLowerInvariant()}{(mismatch.ResolvedByName is { } by ? $" by {by}" : "")}."));
    }

    /// <summary>The open mismatch, if this resolution applies to it, and the project's Stripe client; or why not, in words.</summary>
    public static async Task<(ReconciliationMismatchRecord? Mismatch, StripeConnection? Connection, UseCaseResult<MismatchActionResult>? Refusal)>
        OpenWithStripeAsync(UseCaseContext context, StripeGateway gateway, Guid id, Func<MismatchView, bool> applies, string otherwise,
            CancellationToken cancellationToken)
    {
        var (mismatch, refusal) = await OpenAsync(context, id, cancellationToken);
        if (mismatch is null)
        {
            return (null, null, refusal);
        }

        if (!applies(MismatchView.Of(mismatch)))
        {
            return (null, null, UseCaseResult<MismatchActionResult>.Conflict(otherwise));
        }

        var connection = await gateway.ConnectAsync(context.Db, context.ProjectId, cancellationToken);
        return connection is null
            ? (null, null, UseCaseResult<MismatchActionResult>.Conflict(StripeGateway.NotConfigured))
            : (mismatch, connection, null);
    }

    public static UseCaseResult<MismatchActionResult> Close(UseCaseContext context, ReconciliationMismatchRecord mismatch, MismatchStatus status, string note,
        Guid? entryId, string action, string words)
    {
        var before = MismatchView.Of(mismatch).ForAudit();
        mismatch.Status = status;
        mismatch.OpenKey = null;
        mismatch.ResolvedAt = context.Now;
        mismatch.ResolvedByName = context.Actor.Name;
        mismatch.ResolutionNote = note.Length > MaxNoteLength ? note[..MaxNoteLength] : note;
        mismatch.EntryId = entryId ?? mismatch.EntryId;
        mismatch.Version++;
        var view = MismatchView.Of(mismatch);
        context.Audit(action, TargetType, mismatch.Id.ToString(), before, view.ForAudit(), words);
        return UseCaseResult<MismatchActionResult>.Ok(new MismatchActionResult(view, words));
    }
}
