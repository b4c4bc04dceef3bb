using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Infrastructure.UseCases;
using Stripe;

namespace Neruba.Infrastructure.Payments.Settings;

public sealed record StripeTestResult(bool Succeeded, string Message, DateTimeOffset TestedAt, bool Recorded);

/// <summary>
/// An Admin asks Stripe whether a key works: the key typed in the form (before saving) or the stored one. The answer is in words; a test of the
/// stored key is recorded on the settings (and audited), a test of a key typed in the form is not.
/// </summary>
public sealed class TestStripeConnection(StripeGateway gateway, StripeSecrets secrets) : UseCase<TestStripeConnection.Request, StripeTestResult>
{
    public sealed record Request(string? SecretKey);

    public override AccessRule Access { get; } = new(Permission.ManageProject);

    public override ValidationErrors Validate(Request request) => StripeKeys.SecretKey(new ValidationErrors(), "secretKey", request.SecretKey?.Trim());

    public override async Task<UseCaseResult<StripeTestResult>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var account = await context.Db.StripeAccounts.SingleOrDefaultAsync(a => a.ProjectId == context.ProjectId, cancellationToken);
        var stored = account is { SecretKeyProtected.Length: > 0 } ? secrets.Unprotect(account.SecretKeyProtected) : null;
        var typed = request.SecretKey?.Trim() is { Length: > 0 } key ? key : null;
        var secretKey = typed ?? stored;
        if (secretKey is null)
        {
            return UseCaseResult<StripeTestResult>.Conflict("There is no secret key to test: type one in the form or save the settings first.");
        }

        var (succeeded, message) = await AskStripeAsync(gateway.ClientFor(secretKey), StripeKeys.ModeOf(secretKey), cancellationToken);
        var recorded = account is not null && secretKey == stored;
        if (recorded)
        {
            account!.LastTestedAt = context.Now;
            account.LastTestSucceeded = succeeded;
            account.LastTestMessage = message.Length > CollectionAttemptRecord.MaxMessageLength ? message[..CollectionAttemptRecord.MaxMessageLength] : message;
            context.Audit("stripe.connection_tested", "stripe_account", context.ProjectId.ToString(), null,
                new { account.SecretKeyHint, Succeeded = succeeded, Message = account.LastTestMessage });
        }

        return UseCaseResult<StripeTestResult>.Ok(new StripeTestResult(succeeded, message, context.Now, recorded));
    }

    private static async Task<(bool Succeeded, string Message)> AskStripeAsync(IStripeClient client, string? mode, CancellationToken cancellationToken)
    {
        try
        {
            var balance = await new BalanceService(client).GetAsync(cancellationToken: cancellationToken);
            var currencies = balance.Available?.Select(a => a.Currency.ToUpperInvariant()).Distinct(StringComparer.Ordinal).ToList() ?? [];
            var where = mode is null ? "" : $" in {mode} mode";
            return (true, currencies.Count == 0
                ? $"Connected: Stripe accepted the key{where}."
                : $"Connected: Stripe accepted the key{where} (balance in {string.Join(", ", currencies)}).");
        }
        catch (Exception exception) when (exception is StripeException or HttpRequestException or TaskCanceledException or TimeoutException
            && !cancellationToken.IsCancellationRequested)
        {
            return (false, StripeGateway.Describe(exception));
        }
    }
}
