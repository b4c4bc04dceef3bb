using System.Globalization;
using System.Text.Json.Nodes;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Infrastructure.Payments.Webhooks;
using Neruba.Infrastructure.UseCases;
using Stripe;

namespace Neruba.Infrastructure.Payments.Reconciliation;

/// <summary>
/// Finance clears a missed webhook: the charge, refund or dispute is fetched from Stripe again and stored as a synthetic event of the type its
/// webhook would have had (id <c>reconcile:{object}:{n}</c>), then processed by the same handlers. Their idempotency keys post it once however
/// often it is re-processed.
/// </summary>
public sealed class ReprocessMismatch(StripeGateway gateway, IBackgroundJobClient jobs) : UseCase<ReprocessMismatch.Request, MismatchActionResult>
{
    public sealed record Request(Guid MismatchId);

    public override AccessRule Access { get; } = new(Permission.ManageMoney);

    public override async Task<UseCaseResult<MismatchActionResult>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var (mismatch, connection, refusal) = await MismatchResolution.OpenWithStripeAsync(context, gateway, request.MismatchId, m => m.CanReprocess,
            "Only a charge, refund or dispute Stripe has can be fetched and re-processed; post an entry or explain "
            + "this mismatch instead.", cancellationToken);
        if (mismatch is null || connection is null)
        {
            return refusal!;
        }

        (string Type, StripeEntity Object) fetched;
        try
        {
            fetched = await FetchAsync(context, connection.Client, mismatch.SourceId, cancellationToken);
        }
        catch (StripeException exception)
        {
            return UseCaseResult<MismatchActionResult>.Conflict(StripeGateway.Describe(exception));
        }

        var objectId = (fetched.Object as IHasId)?.Id ?? mismatch.SourceId;
        var prefix = $"reconcile:{objectId}:";
        var number = await context.Db.StripeEvents.CountAsync(e => e.ProjectId == context.ProjectId && e.StripeEventId.StartsWith(prefix), cancellationToken) + 1;
        var record = new StripeEventRecord
        {
            Id = Guid.NewGuid(), ProjectId = context.ProjectId, StripeEventId = prefix + number.ToString(CultureInfo.InvariantCulture), Type = fetched.Type,
            ApiVersion = StripeConfiguration.ApiVersion, ObjectId = objectId, StripeCreatedAt = context.Now, ReceivedAt = context.Now,
            Payload = Wrap(prefix + number.ToString(CultureInfo.InvariantCulture), fetched.Type, fetched.Object, context.Now),
        };
        context.Db.StripeEvents.Add(record);
        context.AfterCommit(() => jobs.Enqueue<StripeEventProcessor>(processor => processor.ProcessAsync(record.Id, CancellationToken.None)));
        return MismatchResolution.Close(context, mismatch, MismatchStatus.Reprocessed, $"Fetched {objectId} from Stripe and processed it as {fetched.Type} "
            + $"(event {record.StripeEventId}).", null, "reconciliation.mismatch_reprocessed",
            $"{objectId} fetched from Stripe again and queued for processing as {fetched.Type} (a missed webhook)");
    }

    /// <summary>The object and the event type its webhook carries: a charge is processed through its PaymentIntent (or its checkout session).</summary>
    private static async Task<(string Type, StripeEntity Object)> FetchAsync(UseCaseContext context, StripeClient client, string sourceId,
        CancellationToken cancellationToken)
    {
        if (sourceId.StartsWith("re_", StringComparison.Ordinal))
        {
            return ("refund.updated", await client.V1.Refunds.GetAsync(sourceId, cancellationToken: cancellationToken));
        }

        if (sourceId.StartsWith("dp_", StringComparison.Ordinal))
        {
            var dispute = await client.V1.Disputes.GetAsync(sourceId, cancellationToken: cancellationToken);
            var reinstated = dispute.BalanceTransactions?.Any(t => t.Amount > 0) == true;
            return (reinstated ? "charge.dispute.funds_reinstated" : "charge.dispute.funds_withdrawn", dispute);
        }

        var charge = await client.V1.Charges.GetAsync(sourceId, cancellationToken: cancellationToken);
        var intentId = charge.PaymentIntentId ?? throw new StripeException($"Charge {sourceId} has no PaymentIntent to process.");
        var session = await context.Db.CheckoutSessions.AsNoTracking().Where(s => s.ProjectId == context.ProjectId && s.PaymentIntentId == intentId)
            .Select(s => s.StripeSessionId).FirstOrDefaultAsync(cancellationToken);
        return session is not null
            ? ("checkout.session.completed", await client.V1.Checkout.Sessions.GetAsync(session, cancellationToken: cancellationToken))
            : ("payment_intent.succeeded", await client.V1.PaymentIntents.GetAsync(intentId, cancellationToken: cancellationToken));
    }

    private static string Wrap(string id, string type, StripeEntity obj, DateTimeOffset now) => new JsonObject
    {
        ["id"] = id,
        ["object"] = "event",
        ["type"] = type,
        ["api_version"] = StripeConfiguration.ApiVersion,
        ["created"] = now.ToUnixTimeSeconds(),
        ["livemode"] = false,
        ["data"] = new JsonObject { ["object"] = JsonNode.Parse(obj.StripeResponse?.Content ?? obj.ToJson()) },
    }.ToJsonString();
}
