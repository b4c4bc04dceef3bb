using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Infrastructure.UseCases;
using Stripe;

namespace Neruba.Infrastructure.Payments.Disputes;

/// <summary>What an evidence step did: saved in Neruba, staged at Stripe (or why not), submitted; the uploaded file when there was one.</summary>
public sealed record DisputeEvidenceSaved(DateTimeOffset? DraftSavedAt, DateTimeOffset? StagedAt, DateTimeOffset? SubmittedAt, string? StagingProblem,
    DisputeFileView? File = null);

/// <summary>
/// Finance saves the evidence draft as they write it (the page saves on a pause or when a field is left): kept in Neruba and staged at Stripe with
/// <c>submit=false</c>, so Stripe holds the latest draft too. One audit record per save that changed something; an unchanged draft saves nothing.
/// Without Stripe (not configured, or down) the draft is still kept here, and the answer says it was not staged.
/// </summary>
public sealed class SaveDisputeEvidence(StripeGateway gateway) : UseCase<SaveDisputeEvidence.Request, DisputeEvidenceSaved>
{
    public sealed record Request(Guid DisputeId, IReadOnlyDictionary<string, string?>? Evidence);

    public override AccessRule Access { get; } = new(Permission.ManageMoney, ApiScopes.BillingWrite);

    public override ValidationErrors Validate(Request request) => EvidenceFields.Check(request.Evidence);

    public override Task<UseCaseResult<DisputeEvidenceSaved>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken) =>
        DisputeSupport.WithAsync(context, request.DisputeId, DisputeSupport.EvidenceRefusal, dispute => SaveAsync(context, dispute, request, cancellationToken), cancellationToken);

    private async Task<UseCaseResult<DisputeEvidenceSaved>> SaveAsync(UseCaseContext context, DisputeRecord dispute, Request request, CancellationToken cancellationToken)
    {
        var text = EvidenceFields.Clean(request.Evidence);
        var json = EvidenceFields.Serialize(text);
        if (json.Length > DisputeRecord.MaxEvidenceLength)
        {
            return UseCaseResult<DisputeEvidenceSaved>.Invalid("evidence",
                $"The evidence is {json.Length:N0} characters in all; Neruba keeps at most {DisputeRecord.MaxEvidenceLength:N0}. Shorten the longest fields.");
        }

        // Nothing new to keep, and Stripe already holds it (or cannot be reached): no save, no audit. A draft Stripe missed is staged again.
        if (json == dispute.EvidenceDraft && (dispute.DraftSavedAt is null || dispute.StagedAt >= dispute.DraftSavedAt
                || !await context.Db.StripeAccounts.Where(a => a.ProjectId == context.ProjectId).AnyAsync(StripeAccountRecord.Configured, cancellationToken)))
        {
            return UseCaseResult<DisputeEvidenceSaved>.Ok(new DisputeEvidenceSaved(dispute.DraftSavedAt, dispute.StagedAt, null, null));
        }

        var before = DisputeSupport.AuditState(dispute);
        dispute.EvidenceDraft = json;
        dispute.DraftSavedAt = context.Now;
        dispute.DraftSavedByName = context.Actor.Name;
        var problem = await DisputeEvidenceStaging.StageAsync(gateway, context, dispute, text, cancellationToken);
        Touch(dispute, context);
        context.Audit(problem is null ? "dispute.evidence_staged" : "dispute.evidence_draft_saved", DisputeSupport.TargetType, dispute.StripeDisputeId, before,
            new { Fields = text.Keys, dispute.StagedAt }, problem is null ? "Draft saved and staged at Stripe (not submitted)" : $"Draft saved in Neruba only: {problem}");
        return UseCaseResult<DisputeEvidenceSaved>.Ok(new DisputeEvidenceSaved(dispute.DraftSavedAt, dispute.StagedAt, null, problem));
    }

    internal static void Touch(DisputeRecord dispute, UseCaseContext context)
    {
        dispute.UpdatedAt = context.Now;
        dispute.Version++;
    }
}

/// <summary>
/// Finance submits the evidence: sent once with <c>submit=true</c> under one idempotency key per dispute, so a retry or a second click can never
/// submit twice. Stripe accepts one submission; afterwards the evidence cannot change and a second submit is refused in words.
/// </summary>
public sealed class SubmitDisputeEvidence(StripeGateway gateway) : UseCase<SubmitDisputeEvidence.Request, DisputeEvidenceSaved>
{
    /// <param name="Evidence">The form's latest text (saved with the submission); null submits the saved draft.</param>
    public sealed record Request(Guid DisputeId, IReadOnlyDictionary<string, string?>? Evidence = null);

    public override AccessRule Access { get; } = new(Permission.ManageMoney, ApiScopes.BillingWrite);

    public override ValidationErrors Validate(Request request) => EvidenceFields.Check(request.Evidence);

    public override Task<UseCaseResult<DisputeEvidenceSaved>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken) =>
        DisputeSupport.WithStripeAsync(gateway, context, request.DisputeId, SubmitRefusal,
            (dispute, connection) => SubmitAsync(context, dispute, connection, request, cancellationToken), cancellationToken);

    /// <summary>
    /// The submission's own webhook ("under review") can be saved before this one, and the save is then tried again: submitting again with the
    /// same idempotency key replays Stripe's answer, so it is recorded once; a submission made outside Neruba is refused by Stripe, in words.
    /// </summary>
    private static string? SubmitRefusal(DisputeRecord dispute) =>
        dispute is { Status: DisputeStatus.UnderReview or DisputeStatus.WarningUnderReview, SubmittedAt: null, AcceptedAt: null }
            ? null
            : DisputeSupport.EvidenceRefusal(dispute);

    private static async Task<UseCaseResult<DisputeEvidenceSaved>> SubmitAsync(UseCaseContext context, DisputeRecord dispute, StripeConnection connection, Request request,
        CancellationToken cancellationToken)
    {
        var text = request.Evidence is null ? new SortedDictionary<string, string>(EvidenceFields.Parse(dispute.EvidenceDraft), StringComparer.Ordinal)
            : EvidenceFields.Clean(request.Evidence);
        var files = await DisputeSupport.FilesAsync(context.Db, dispute.Id, cancellationToken);
        if (text.Count == 0 && files.Count == 0)
        {
            return UseCaseResult<DisputeEvidenceSaved>.Conflict("There is no evidence to submit yet: write at least one field or upload a file first.");
        }

        if (await DisputeSupport.StripeAsync(() => DisputeSupport.SendAsync(connection, dispute, text, files, submit: true, cancellationToken),
                cancellationToken) is { } problem)
        {
            return UseCaseResult<DisputeEvidenceSaved>.Conflict($"The evidence was not submitted. {problem}");
        }

        var before = DisputeSupport.AuditState(dispute);
        dispute.EvidenceDraft = EvidenceFields.Serialize(text);
        dispute.DraftSavedAt = context.Now;
        dispute.DraftSavedByName = context.Actor.Name;
        dispute.StagedAt = context.Now;
        dispute.SubmittedAt = context.Now;
        dispute.SubmittedByName = context.Actor.Name;
        SaveDisputeEvidence.Touch(dispute, context);
        context.Audit("dispute.evidence_submitted", DisputeSupport.TargetType, dispute.StripeDisputeId, before,
            new { Fields = text.Keys, Files = files, dispute.SubmittedAt }, "Evidence submitted to Stripe (one submission)");
        return UseCaseResult<DisputeEvidenceSaved>.Ok(new DisputeEvidenceSaved(dispute.DraftSavedAt, dispute.StagedAt, dispute.SubmittedAt, null));
    }
}

/// <summary>Stages a dispute's evidence at Stripe (<c>submit=false</c>); the words of a failure, or null when Stripe holds the draft.</summary>
internal static class DisputeEvidenceStaging
{
    public static async Task<string?> StageAsync(StripeGateway gateway, UseCaseContext context, DisputeRecord dispute, IReadOnlyDictionary<string, string> text,
        CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? files = null)
    {
        var connection = await gateway.ConnectAsync(context.Db, context.ProjectId, cancellationToken);
        if (connection is null)
        {
            return StripeGateway.NotConfigured;
        }

        files ??= await DisputeSupport.FilesAsync(context.Db, dispute.Id, cancellationToken);
        var problem = await DisputeSupport.StripeAsync(() => DisputeSupport.SendAsync(connection, dispute, text, files, submit: false, cancellationToken),
            cancellationToken);
        if (problem is null)
        {
            dispute.StagedAt = context.Now;
        }

        return problem;
    }

    /// <summary>Uploads a file to Stripe's Files API for dispute evidence; the file's id.</summary>
    public static async Task<string> UploadAsync(StripeConnection connection, DisputeFileRecord record, byte[] content, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream(content, writable: false);
        var upload = new MultipartFileContent { Data = stream, Name = record.FileName, Type = record.ContentType };
        var file = await connection.Client.V1.Files.CreateAsync(new FileCreateOptions { File = upload, Purpose = "dispute_evidence" },
            new RequestOptions { IdempotencyKey = $"neruba-dispute-file-{record.Id:N}" }, cancellationToken);
        return file.Id;
    }
}
