using System.Text.Json;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Neruba.Infrastructure.Ledger;
using Neruba.Infrastructure.Persistence;
using Stripe;

namespace Neruba.Infrastructure.Payments.Webhooks;

public enum WebhookIntakeOutcome
{
    Stored,
    Duplicate,
    UnknownProject,
    NotConfigured,
    BadSignature,
}

public sealed record WebhookIntakeResult(WebhookIntakeOutcome Outcome, string Message, string? EventId = null);

/// <summary>
/// The front door for Stripe's webhooks: verifies the signature on the raw body with the project's signing secret (and the timestamp
/// against the tolerance window), then stores the event by its Stripe id before anything is done with it, and queues its processing.
/// An unverified body is never stored and never moves money; a second delivery of a stored event only counts the delivery.
/// </summary>
public sealed partial class StripeWebhookIntake(IDbContextFactory<NerubaDbContext> dbFactory, StripeGateway gateway, IBackgroundJobClient jobs,
    TimeProvider clock, ILogger<StripeWebhookIntake> logger)
{
    public const int MaxBodyBytes = 512 * 1024;

    public async Task<WebhookIntakeResult> ReceiveAsync(string projectSlug, string body, string? signatureHeader, CancellationToken cancellationToken)
    {
        StripeAccountRecord? account;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var projectId = await db.Projects.Where(p => p.Slug == projectSlug).Select(p => (Guid?)p.Id).SingleOrDefaultAsync(cancellationToken);
            if (projectId is null)
            {
                return new WebhookIntakeResult(WebhookIntakeOutcome.UnknownProject, $"No project '{projectSlug}'.");
            }

            account = await db.StripeAccounts.AsNoTracking().SingleOrDefaultAsync(a => a.ProjectId == projectId, cancellationToken);
        }

        if (account is not { IsConfigured: true })
        {
            return new WebhookIntakeResult(WebhookIntakeOutcome.NotConfigured, StripeGateway.NotConfigured);
        }

        Event verified;
        try
        {
            // The API version is not enforced here: Neruba reads the few fields it needs tolerantly, and the Webhooks page flags a different version.
            verified = EventUtility.ConstructEvent(body, signatureHeader ?? "", gateway.WebhookSecret(account), gateway.Options.WebhookToleranceSeconds,
                throwOnApiVersionMismatch: false);
        }
        catch (Exception exception) when (exception is StripeException or JsonException or ArgumentException or InvalidOperationException)
        {
            LogRefused(logger, projectSlug, exception.Message);
            return new WebhookIntakeResult(WebhookIntakeOutcome.BadSignature,
                "The Stripe-Signature header does not match this project's webhook signing secret, or its timestamp is outside the tolerance window.");
        }

        if (string.IsNullOrEmpty(verified.Id) || string.IsNullOrEmpty(verified.Type))
        {
            return new WebhookIntakeResult(WebhookIntakeOutcome.BadSignature, "The body is not a Stripe event.");
        }

        var now = clock.GetUtcNow();
        var record = new StripeEventRecord
        {
            Id = Guid.NewGuid(), ProjectId = account.ProjectId, StripeEventId = verified.Id, Type = verified.Type ?? "", ApiVersion = verified.ApiVersion ?? "",
            ObjectId = ObjectIdOf(body), StripeCreatedAt = new DateTimeOffset(DateTime.SpecifyKind(verified.Created, DateTimeKind.Utc)), ReceivedAt = now,
            Payload = body,
        };

        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            db.StripeEvents.Add(record);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException exception) when (WalletWriter.IsLostRace(exception))
            {
                db.ChangeTracker.Clear();
                await db.StripeEvents.Where(e => e.ProjectId == account.ProjectId && e.StripeEventId == record.StripeEventId)
                    .ExecuteUpdateAsync(s => s.SetProperty(e => e.Deliveries, e => e.Deliveries + 1), cancellationToken);
                return new WebhookIntakeResult(WebhookIntakeOutcome.Duplicate, $"Event {record.StripeEventId} was already received.", record.StripeEventId);
            }

            await db.StripeAccounts.Where(a => a.ProjectId == account.ProjectId)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.LastWebhookAt, now), cancellationToken);
        }

        // Stored first: if the process stops before this line, the recovery sweep queues it (StripeRecoveryJob).
        jobs.Enqueue<StripeEventProcessor>(processor => processor.ProcessAsync(record.Id, CancellationToken.None));
        return new WebhookIntakeResult(WebhookIntakeOutcome.Stored, $"Event {record.StripeEventId} stored.", record.StripeEventId);
    }

    private static string? ObjectIdOf(string body)
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("data", out var data)
            ? new StripeJson(data).Text("object") : null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a Stripe webhook for project {Project}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string project, string reason);
}
