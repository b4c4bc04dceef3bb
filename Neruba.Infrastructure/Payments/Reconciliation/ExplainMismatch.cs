using Neruba.Domain.Access;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Payments.Reconciliation;

/// <summary>Finance marks a mismatch explained with a note; no money moves. A later run does not raise the same difference again.</summary>
public sealed class ExplainMismatch : UseCase<ExplainMismatch.Request, MismatchActionResult>
{
    public sealed record Request(Guid MismatchId, string? Note);

    public override AccessRule Access { get; } = new(Permission.ManageMoney);

    public override ValidationErrors Validate(Request request) =>
        new ValidationErrors().Required("note", request.Note, MismatchResolution.MaxNoteLength, "A note that explains the difference", multiline: true);

    public override async Task<UseCaseResult<MismatchActionResult>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var (mismatch, refusal) = await MismatchResolution.OpenAsync(context, request.MismatchId, cancellationToken);
        if (mismatch is null)
        {
            return refusal!;
        }

        var note = request.Note!.Trim();
        return MismatchResolution.Close(context, mismatch, MismatchStatus.Explained, note, null, "reconciliation.mismatch_explained",
            $"Mismatch on {mismatch.SourceId} explained: {note}");
    }
}
