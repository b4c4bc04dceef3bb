using Neruba.Domain.Access;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Payments.Disputes;

/// <summary>
/// Finance uploads a document for one evidence field: sent to Stripe's Files API (purpose dispute_evidence), recorded here, and attached to the
/// field by staging the evidence (<c>submit=false</c>). PDF, PNG or JPEG, at most 5 MB, while the evidence can still change.
/// </summary>
public sealed class UploadDisputeFile(StripeGateway gateway) : UseCase<UploadDisputeFile.Request, DisputeEvidenceSaved>
{
    public sealed record Request(Guid DisputeId, string? Field, string? FileName, string? ContentType, byte[]? Content);

    public override AccessRule Access { get; } = new(Permission.ManageMoney, ApiScopes.BillingWrite);

    public override ValidationErrors Validate(Request request)
    {
        var errors = new ValidationErrors();
        if (EvidenceFields.Find(request.Field) is not { IsFile: true })
        {
            errors.Add("field", $"Choose where the file goes: {string.Join(", ", EvidenceFields.Files.Select(f => f.Label))}.");
        }

        if (request.Content is not { Length: > 0 } content)
        {
            errors.Add("file", "The file is empty.");
        }
        else if (content.LongLength > DisputeFileRecord.MaxBytes)
        {
            errors.Add("file", $"The file is {content.LongLength / 1024.0 / 1024.0:0.0} MB; Stripe takes at most 5 MB per evidence file.");
        }

        if (request.ContentType is null || !EvidenceFields.AllowedContentTypes.Contains(request.ContentType))
        {
            errors.Add("file", $"'{request.ContentType}' files are not taken: upload a PDF, PNG or JPEG.");
        }

        return errors.Required("fileName", request.FileName, 256, "A file name");
    }

    public override Task<UseCaseResult<DisputeEvidenceSaved>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken) =>
        DisputeSupport.WithStripeAsync(gateway, context, request.DisputeId, DisputeSupport.EvidenceRefusal,
            (dispute, connection) => UploadAsync(context, dispute, connection, request, cancellationToken), cancellationToken);

    private async Task<UseCaseResult<DisputeEvidenceSaved>> UploadAsync(UseCaseContext context, DisputeRecord dispute, StripeConnection connection, Request request,
        CancellationToken cancellationToken)
    {
        var file = new DisputeFileRecord
        {
            Id = Guid.NewGuid(), ProjectId = context.ProjectId, DisputeId = dispute.Id, EvidenceField = request.Field!, FileName = request.FileName!.Trim(),
            ContentType = request.ContentType!.ToLowerInvariant(), Size = request.Content!.LongLength, UploadedAt = context.Now, UploadedByName = context.Actor.Name,
        };
        if (await DisputeSupport.StripeAsync(async () => file.StripeFileId = await DisputeEvidenceStaging.UploadAsync(connection, file, request.Content, cancellationToken),
                cancellationToken) is { } uploadProblem)
        {
            return UseCaseResult<DisputeEvidenceSaved>.Conflict($"The file was not uploaded. {uploadProblem}");
        }

        var before = DisputeSupport.AuditState(dispute);
        var files = await DisputeSupport.FilesAsync(context.Db, dispute.Id, cancellationToken);
        files[file.EvidenceField] = file.StripeFileId;
        var text = EvidenceFields.Parse(dispute.EvidenceDraft);
        var problem = await DisputeEvidenceStaging.StageAsync(gateway, context, dispute, text, cancellationToken, files);
        context.Db.DisputeFiles.Add(file);
        SaveDisputeEvidence.Touch(dispute, context);
        var view = new DisputeFileView(file.Id, file.EvidenceField, file.StripeFileId, file.FileName, file.ContentType, file.Size, file.UploadedAt, file.UploadedByName);
        context.Audit("dispute.file_uploaded", DisputeSupport.TargetType, dispute.StripeDisputeId, before, view,
            problem is null ? $"{file.FileName} attached to {EvidenceFields.Find(file.EvidenceField)!.Label}" : $"{file.FileName} uploaded; not attached yet: {problem}");
        return UseCaseResult<DisputeEvidenceSaved>.Ok(new DisputeEvidenceSaved(dispute.DraftSavedAt, dispute.StagedAt, null, problem, view));
    }
}

/// <summary>Finance adds an internal note to a dispute (never sent to Stripe), at any time, closed or not.</summary>
public sealed class AddDisputeNote : UseCase<AddDisputeNote.Request, DisputeNoteView>
{
    public sealed record Request(Guid DisputeId, string? Text);

    public override AccessRule Access { get; } = new(Permission.ManageMoney, ApiScopes.BillingWrite);

    public override ValidationErrors Validate(Request request) =>
        new ValidationErrors().Required("text", request.Text, DisputeNoteRecord.MaxTextLength, "The note", multiline: true);

    public override Task<UseCaseResult<DisputeNoteView>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken) =>
        DisputeSupport.WithAsync(context, request.DisputeId, null, dispute => Task.FromResult(Add(context, dispute, request)),
            cancellationToken);

    private static UseCaseResult<DisputeNoteView> Add(UseCaseContext context, DisputeRecord dispute, Request request)
    {
        var note = new DisputeNoteRecord
        {
            Id = Guid.NewGuid(), ProjectId = context.ProjectId, DisputeId = dispute.Id, Text = request.Text!.Trim(), CreatedAt = context.Now,
            AuthorName = context.Actor.Name,
        };
        context.Db.DisputeNotes.Add(note);
        var view = new DisputeNoteView(note.Id, note.Text, note.CreatedAt, note.AuthorName);
        context.Audit("dispute.note_added", DisputeSupport.TargetType, dispute.StripeDisputeId, null, view);
        return UseCaseResult<DisputeNoteView>.Ok(view);
    }
}
