using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Payments.Settings;

/// <summary>
/// An Admin stores the project's Stripe keys (encrypted), the auto-collect switch and the retry schedule. An empty secret field keeps the stored
/// secret; test and live keys are never mixed; the audit record holds hints only. <see cref="Request.Version"/> is the version the form was
/// loaded with: saving over someone else's newer change is refused.
/// </summary>
public sealed class SaveStripeSettings(StripeSecrets secrets) : UseCase<SaveStripeSettings.Request, StripeSettingsView>
{
    public sealed record Request(string? SecretKey, string? PublishableKey, string? WebhookSecret, bool AutoCollect, string? RetryScheduleDays, long? Version);

    public override AccessRule Access { get; } = new(Permission.ManageProject);

    public override ValidationErrors Validate(Request request)
    {
        var errors = new ValidationErrors();
        StripeKeys.SecretKey(errors, "secretKey", request.SecretKey?.Trim());
        StripeKeys.PublishableKey(errors, "publishableKey", request.PublishableKey?.Trim());
        StripeKeys.WebhookSecret(errors, "webhookSecret", request.WebhookSecret?.Trim());
        if (StripeKeys.ParseRetrySchedule(request.RetryScheduleDays, out var error) is null)
        {
            errors.Add("retryScheduleDays", error!);
        }

        return errors;
    }

    public override async Task<UseCaseResult<StripeSettingsView>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var slug = await context.Db.Projects.Where(p => p.Id == context.ProjectId).Select(p => p.Slug).SingleAsync(cancellationToken);
        var account = await context.Db.StripeAccounts.SingleOrDefaultAsync(a => a.ProjectId == context.ProjectId, cancellationToken);
        if (account is not null && request.Version is { } version && version != account.Version)
        {
            return UseCaseResult<StripeSettingsView>.Conflict(
                $"{account.UpdatedByName} changed the Stripe settings after you opened them. Nothing was saved; reload the page and try again.");
        }

        var secretKey = request.SecretKey?.Trim() ?? "";
        var webhookSecret = request.WebhookSecret?.Trim() ?? "";
        var publishableKey = request.PublishableKey?.Trim() ?? "";
        var errors = new ValidationErrors();
        if (secretKey.Length == 0 && account is not { SecretKeyProtected.Length: > 0 })
        {
            errors.Add("secretKey", "Enter the secret key (sk_test_… or sk_live_…).");
        }

        if (webhookSecret.Length == 0 && account is not { WebhookSecretProtected.Length: > 0 })
        {
            errors.Add("webhookSecret", "Enter the webhook signing secret (whsec_…): without it no payment can be confirmed.");
        }

        var secretMode = StripeKeys.ModeOf(secretKey.Length > 0 ? secretKey : account?.SecretKeyHint);
        if (publishableKey.Length > 0 && secretMode is not null && StripeKeys.ModeOf(publishableKey) != secretMode)
        {
            errors.Add("publishableKey", $"The secret key is a {secretMode} key but the publishable key is not: use both keys from the same mode (test or live).");
        }

        if (!errors.IsEmpty)
        {
            return UseCaseResult<StripeSettingsView>.Invalid(errors);
        }

        var retry = StripeKeys.FormatRetrySchedule(StripeKeys.ParseRetrySchedule(request.RetryScheduleDays, out _)!);
        var before = account is null ? null : StripeSettingsView.ForAudit(account);
        if (account is null)
        {
            account = new StripeAccountRecord { ProjectId = context.ProjectId };
            context.Db.StripeAccounts.Add(account);
        }

        var clearedLinks = 0;
        if (secretKey.Length > 0 && (account.SecretKeyProtected.Length == 0 || secrets.Unprotect(account.SecretKeyProtected) != secretKey))
        {
            if (account.SecretKeyHint.Length > 0 && StripeKeys.ModeOf(account.SecretKeyHint) != StripeKeys.ModeOf(secretKey))
            {
                // Test and live are separate Stripe worlds: a customer linked in one does not exist in the other, so the links start afresh.
                var links = await context.Db.StripeCustomers.Where(l => l.ProjectId == context.ProjectId).ToListAsync(cancellationToken);
                context.Db.StripeCustomers.RemoveRange(links);
                clearedLinks = links.Count;
            }

            account.SecretKeyProtected = secrets.Protect(secretKey);
            account.SecretKeyHint = StripeSecrets.Hint(secretKey);
            account.LastTestedAt = null;
            account.LastTestSucceeded = null;
            account.LastTestMessage = null;
        }

        if (webhookSecret.Length > 0 && (account.WebhookSecretProtected.Length == 0 || secrets.Unprotect(account.WebhookSecretProtected) != webhookSecret))
        {
            account.WebhookSecretProtected = secrets.Protect(webhookSecret);
            account.WebhookSecretHint = StripeSecrets.Hint(webhookSecret);
        }

        account.PublishableKey = publishableKey;
        account.AutoCollect = request.AutoCollect;
        account.RetryScheduleDays = retry;
        if (before is not null && context.Db.Entry(account).State == EntityState.Unchanged)
        {
            // Saving the form unchanged is not an event worth an audit record.
            return UseCaseResult<StripeSettingsView>.Ok(StripeSettingsView.From(account, slug));
        }

        account.Version++;
        account.UpdatedAt = context.Now;
        account.UpdatedByName = context.Actor.Name;
        context.Audit("stripe.settings_saved", "stripe_account", context.ProjectId.ToString(), before, StripeSettingsView.ForAudit(account),
            clearedLinks > 0 ? $"Switched between test and live keys: {clearedLinks} customer link(s) to the other mode's Stripe customers were cleared." : null);
        return UseCaseResult<StripeSettingsView>.Ok(StripeSettingsView.From(account, slug));
    }
}

/// <summary>An Admin removes the project's Stripe keys (with a reason): every payment feature then says Stripe is not configured.</summary>
public sealed class RemoveStripeSettings : UseCase<RemoveStripeSettings.Request, StripeSettingsView>
{
    public const int MaxReasonLength = 500;

    public sealed record Request(string? Reason);

    public override AccessRule Access { get; } = new(Permission.ManageProject);

    public override ValidationErrors Validate(Request request) =>
        new ValidationErrors().Required("reason", request.Reason, MaxReasonLength, "A reason", multiline: true);

    public override async Task<UseCaseResult<StripeSettingsView>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var slug = await context.Db.Projects.Where(p => p.Id == context.ProjectId).Select(p => p.Slug).SingleAsync(cancellationToken);
        var account = await context.Db.StripeAccounts.SingleOrDefaultAsync(a => a.ProjectId == context.ProjectId, cancellationToken);
        if (account is null)
        {
            return UseCaseResult<StripeSettingsView>.NotFound("Stripe is not configured for this project; there is nothing to remove.");
        }

        context.Db.StripeAccounts.Remove(account);
        context.Audit("stripe.settings_removed", "stripe_account", context.ProjectId.ToString(), StripeSettingsView.ForAudit(account), null, request.Reason!.Trim());
        return UseCaseResult<StripeSettingsView>.Ok(StripeSettingsView.From(null, slug));
    }
}
