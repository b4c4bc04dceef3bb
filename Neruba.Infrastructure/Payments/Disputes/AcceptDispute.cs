using Neruba.Domain.Access;
using Neruba.Infrastructure.UseCases;
using Stripe;

namespace Neruba.Infrastructure.Payments.Disputes;

/// <summary>
/// Finance accepts a dispute: Stripe closes it and the money is lost. Above the project's correction threshold (or in another currency) the first
/// accept is a request a second Finance member approves. Nothing is posted here: the loss arrives with Stripe's closed webhook.
/// </summary>
public sealed class AcceptDispute(StripeGateway gateway) : UseCase<AcceptDispute.Request, DisputeAcceptView>
{
    public const int MaxReasonLength = 1000;

    public sealed record Request(Guid DisputeId, string? Reason);

    public override AccessRule Access { get; } = new(Permission.ManageMoney, ApiScopes.BillingWrite);

    public override ValidationErrors Validate(Request request) =>
        new ValidationErrors().Required("reason", request.Reason, MaxReasonLength, "A reason", multiline: true);

    public override Task<UseCaseResult<DisputeAcceptView>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken) =>
        DisputeSupport.WithAsync(context, request.DisputeId, DisputeAccepting.Refusal, dispute => AcceptAsync(context, dispute, request, cancellationToken),
            cancellationToken);

    private async Task<UseCaseResult<DisputeAcceptView>> AcceptAsync(UseCaseContext context, DisputeRecord dispute, Request request, CancellationToken cancellationToken)
    {
        if (dispute.AcceptRequestedById is not null)
        {
            return UseCaseResult<DisputeAcceptView>.Conflict($"{dispute.AcceptRequestedByName} already asked to accept this dispute; another Finance member "
                + "approves or rejects that request.");
        }

        var project = await DisputeSupport.ProjectAsync(context, cancellationToken);
        var before = DisputeSupport.AuditState(dispute);
        var reason = request.Reason!.Trim();
        dispute.AcceptReason = reason;
        if (DisputeSupport.NeedsApproval(project, dispute))
        {
            dispute.AcceptRequestedById = context.Actor.PersonId;
            dispute.AcceptRequestedByName = context.Actor.Name;
            dispute.AcceptRequestedAt = context.Now;
            SaveDisputeEvidence.Touch(dispute, context);
            context.Audit("dispute.accept_requested", DisputeSupport.TargetType, dispute.StripeDisputeId, before, DisputeSupport.AuditState(dispute), reason);
            return UseCaseResult<DisputeAcceptView>.Ok(DisputeAccepting.View(dispute, needsApproval: true));
        }

        if (await DisputeAccepting.CloseAsync(gateway, context, dispute, cancellationToken) is { } problem)
        {
            return UseCaseResult<DisputeAcceptView>.Conflict(problem);
        }

        context.Audit("dispute.accepted", DisputeSupport.TargetType, dispute.StripeDisputeId, before, DisputeSupport.AuditState(dispute), reason);
        return UseCaseResult<DisputeAcceptView>.Ok(DisputeAccepting.View(dispute, needsApproval: false));
    }
}

/// <summary>
/// A second Finance member approves a waiting accept (Stripe closes the dispute) or rejects it; the requester may only withdraw their own request,
/// never approve it, whether they act in the console or with one of their API keys.
/// </summary>
public sealed class DecideDisputeAccept(StripeGateway gateway) : UseCase<DecideDisputeAccept.Request, DisputeAcceptView>
{
    public sealed record Request(Guid DisputeId, bool Approve, string? Comment);

    public override AccessRule Access { get; } = new(Permission.ManageMoney, ApiScopes.BillingWrite);

    public override ValidationErrors Validate(Request request) =>
        new ValidationErrors().Optional("comment", request.Comment, AcceptDispute.MaxReasonLength, "The comment", multiline: true);

    public override Task<UseCaseResult<DisputeAcceptView>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken) =>
        DisputeSupport.WithAsync(context, request.DisputeId, null, dispute => DecideAsync(context, dispute, request, cancellationToken), cancellationToken);

    private async Task<UseCaseResult<DisputeAcceptView>> DecideAsync(UseCaseContext context, DisputeRecord dispute, Request request, CancellationToken cancellationToken)
    {
        if (dispute.AcceptRequestedById is null)
        {
            return UseCaseResult<DisputeAcceptView>.Conflict(dispute.AcceptedAt is null
                ? "No request to accept this dispute is waiting."
                : $"The dispute was already accepted by {dispute.AcceptedByName}.");
        }

        var own = dispute.AcceptRequestedById == context.Actor.PersonId;
        if (request.Approve && own)
        {
            return UseCaseResult<DisputeAcceptView>.Forbidden("You asked to accept this dispute (in the console or with your API key), so you cannot approve it: "
                + "another Finance member must approve or reject it. You may withdraw your request.");
        }

        var before = DisputeSupport.AuditState(dispute);
        var comment = string.IsNullOrWhiteSpace(request.Comment) ? null : request.Comment.Trim();
        if (request.Approve)
        {
            if (DisputeAccepting.Refusal(dispute) is { } refusal)
            {
                return UseCaseResult<DisputeAcceptView>.Conflict(refusal);
            }

            if (await DisputeAccepting.CloseAsync(gateway, context, dispute, cancellationToken) is { } problem)
            {
                return UseCaseResult<DisputeAcceptView>.Conflict(problem);
            }

            context.Audit("dispute.accept_approved", DisputeSupport.TargetType, dispute.StripeDisputeId, before, DisputeSupport.AuditState(dispute),
                comment ?? dispute.AcceptReason);
            return UseCaseResult<DisputeAcceptView>.Ok(DisputeAccepting.View(dispute, needsApproval: true));
        }

        dispute.AcceptRequestedById = null;
        dispute.AcceptRequestedByName = null;
        dispute.AcceptRequestedAt = null;
        dispute.AcceptReason = null;
        SaveDisputeEvidence.Touch(dispute, context);
        context.Audit(own ? "dispute.accept_withdrawn" : "dispute.accept_rejected", DisputeSupport.TargetType, dispute.StripeDisputeId, before,
            DisputeSupport.AuditState(dispute), comment);
        return UseCaseResult<DisputeAcceptView>.Ok(DisputeAccepting.View(dispute, needsApproval: true));
    }
}

internal static class DisputeAccepting
{
    /// <summary>Why the dispute cannot be accepted now, in words.</summary>
    public static string? Refusal(DisputeRecord dispute) => dispute switch
    {
        { AcceptedAt: not null } => $"The dispute was already accepted by {dispute.AcceptedByName}.",
        { IsClosed: true } => $"The dispute is closed ({DisputeWords.Status(dispute.Status).ToLowerInvariant()}); there is nothing to accept.",
        { SubmittedAt: not null } or { NeedsResponse: false } =>
            "Evidence was submitted and the bank is reviewing it; Stripe no longer lets the dispute be accepted.",
        _ => null,
    };

    /// <summary>Closes the dispute at Stripe (once: the key is the dispute's) and records who accepted it; the words of a failure, or null.</summary>
    public static async Task<string?> CloseAsync(StripeGateway gateway, UseCaseContext context, DisputeRecord dispute, CancellationToken cancellationToken)
    {
        var connection = await gateway.ConnectAsync(context.Db, context.ProjectId, cancellationToken);
        if (connection is null)
        {
            return StripeGateway.NotConfigured;
        }

        if (await DisputeSupport.StripeAsync(() => connection.Client.V1.Disputes.CloseAsync(dispute.StripeDisputeId, null,
                new RequestOptions { IdempotencyKey = $"neruba-dispute-close-{dispute.Id:N}" }, cancellationToken), cancellationToken) is { } problem)
        {
            return $"The dispute was not accepted. {problem}";
        }

        // The status moves (and the loss is posted) when Stripe's closed webhook arrives.
        dispute.AcceptedAt = context.Now;
        dispute.AcceptedByName = context.Actor.Name;
        SaveDisputeEvidence.Touch(dispute, context);
        return null;
    }

    public static DisputeAcceptView View(DisputeRecord d, bool needsApproval) => new(needsApproval, d.AcceptRequestedById, d.AcceptRequestedByName,
        d.AcceptRequestedAt, d.AcceptReason, d.AcceptedAt, d.AcceptedByName);
}
