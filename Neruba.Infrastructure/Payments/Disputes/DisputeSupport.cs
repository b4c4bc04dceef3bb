using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Infrastructure.Persistence;
using Neruba.Infrastructure.UseCases;
using Stripe;

namespace Neruba.Infrastructure.Payments.Disputes;

/// <summary>What every dispute action reads and checks: the project's dispute (tracked), whether its evidence may change, and Stripe's words.</summary>
internal static class DisputeSupport
{
    public const string TargetType = "dispute";

    public static Task<DisputeRecord?> FindAsync(UseCaseContext context, Guid disputeId, CancellationToken cancellationToken) =>
        context.Db.Disputes.FirstOrDefaultAsync(d => d.Id == disputeId && d.ProjectId == context.ProjectId, cancellationToken);

    public static string NotFound => "No such dispute in this project.";

    /// <summary>Runs <paramref name="act"/> on the project's dispute (tracked); answers not found, or the refusal <paramref name="refuse"/> gives, instead.</summary>
    public static async Task<UseCaseResult<T>> WithAsync<T>(UseCaseContext context, Guid disputeId, Func<DisputeRecord, string?>? refuse,
        Func<DisputeRecord, Task<UseCaseResult<T>>> act, CancellationToken cancellationToken)
    {
        var dispute = await FindAsync(context, disputeId, cancellationToken);
        return dispute is null ? UseCaseResult<T>.NotFound(NotFound)
            : refuse?.Invoke(dispute) is { } refusal ? UseCaseResult<T>.Conflict(refusal)
            : await act(dispute);
    }

    /// <summary>As <see cref="WithAsync"/> for a step that must reach Stripe: without keys it says Stripe is not configured and changes nothing.</summary>
    public static Task<UseCaseResult<T>> WithStripeAsync<T>(StripeGateway gateway, UseCaseContext context, Guid disputeId, Func<DisputeRecord, string?>? refuse,
        Func<DisputeRecord, StripeConnection, Task<UseCaseResult<T>>> act, CancellationToken cancellationToken) =>
        WithAsync(context, disputeId, refuse, async dispute => await gateway.ConnectAsync(context.Db, context.ProjectId, cancellationToken) is { } connection
            ? await act(dispute, connection)
            : UseCaseResult<T>.Conflict(StripeGateway.NotConfigured), cancellationToken);

    /// <summary>Why the evidence can no longer change, in words; null while it can.</summary>
    public static string? EvidenceRefusal(DisputeRecord dispute) => dispute switch
    {
        { SubmittedAt: { } at } => $"The evidence was submitted to Stripe on {at:yyyy-MM-dd HH:mm} UTC by {dispute.SubmittedByName}; "
            + "Stripe accepts one submission, so it can no longer be changed.",
        { AcceptedAt: not null } => "The dispute was accepted (the money is lost); evidence can no longer be sent.",
        { IsClosed: true } => $"The dispute is closed ({DisputeWords.Status(dispute.Status).ToLowerInvariant()}); its evidence can no longer be changed.",
        { NeedsResponse: false } => $"The dispute is {DisputeWords.Status(dispute.Status).ToLowerInvariant()}; Stripe takes evidence only while it needs a response.",
        _ => null,
    };

    /// <summary>Above the project's correction threshold, or in another currency than the project's, accepting needs a second Finance member.</summary>
    public static bool NeedsApproval(Project project, DisputeRecord dispute) =>
        !string.Equals(dispute.Currency, project.DefaultCurrency, StringComparison.OrdinalIgnoreCase) || dispute.Amount > project.CorrectionApprovalThresholdMinor;

    public static Task<Project> ProjectAsync(UseCaseContext context, CancellationToken cancellationToken) =>
        context.Db.Projects.AsNoTracking().SingleAsync(p => p.Id == context.ProjectId, cancellationToken);

    /// <summary>The file last uploaded for each file field of the dispute (a newer upload replaces an older one at Stripe).</summary>
    public static async Task<SortedDictionary<string, string>> FilesAsync(NerubaDbContext db, Guid disputeId, CancellationToken cancellationToken)
    {
        var files = await db.DisputeFiles.AsNoTracking().Where(f => f.DisputeId == disputeId).Select(f => new { f.EvidenceField, f.StripeFileId, f.UploadedAt })
            .ToListAsync(cancellationToken);
        return new SortedDictionary<string, string>(files.GroupBy(f => f.EvidenceField, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(f => f.UploadedAt).Last().StripeFileId, StringComparer.Ordinal), StringComparer.Ordinal);
    }

    /// <summary>
    /// Sends the evidence to Stripe: staged (<c>submit=false</c>, Stripe keeps it as a draft) or submitted. The key is derived from the content when
    /// staging (the same draft twice is one request) and fixed per dispute when submitting (Stripe takes one submission).
    /// </summary>
    public static Task<Dispute> SendAsync(StripeConnection connection, DisputeRecord dispute, IReadOnlyDictionary<string, string> text,
        IReadOnlyDictionary<string, string> files, bool submit, CancellationToken cancellationToken) =>
        connection.Client.V1.Disputes.UpdateAsync(dispute.StripeDisputeId,
            new DisputeUpdateOptions { Evidence = EvidenceFields.Options(text, files), Submit = submit },
            new RequestOptions
            {
                IdempotencyKey = submit ? $"neruba-dispute-submit-{dispute.Id:N}" : $"neruba-dispute-stage-{dispute.Id:N}-{EvidenceFields.Fingerprint(text, files)}",
            }, cancellationToken);

    /// <summary>Runs a Stripe call; a refusal or an outage comes back as words (nothing was saved), anything else is a fault.</summary>
    public static async Task<string?> StripeAsync(Func<Task> call, CancellationToken cancellationToken)
    {
        try
        {
            await call();
            return null;
        }
        catch (Exception exception) when (exception is StripeException or HttpRequestException or TimeoutException
            || (exception is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return StripeGateway.Describe(exception);
        }
    }

    public static object AuditState(DisputeRecord d) => new
    {
        d.StripeDisputeId, Status = d.Status.ToString(), d.Amount, d.Currency, d.DraftSavedAt, d.StagedAt, d.SubmittedAt, d.AcceptRequestedByName, d.AcceptedAt,
    };
}
