using Hangfire;
using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Audit;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Ledger;
using Neruba.Infrastructure.Persistence;
using Stripe;

namespace Neruba.Infrastructure.Payments.Fees;

/// <summary>
/// Records Stripe's fee on a charge as an expense (payment fees ← clearing) once its balance transaction is known, keyed by the charge so it is
/// posted once. Until Stripe has the balance transaction the job fails and Hangfire tries again later.
/// </summary>
public sealed class StripeFeeJob(IDbContextFactory<NerubaDbContext> dbFactory, StripeGateway gateway, TimeProvider clock)
{
    [AutomaticRetry(Attempts = 8, DelaysInSeconds = [30, 120, 600, 1800, 3600, 7200, 14400, 43200])]
    public async Task RecordAsync(Guid projectId, string paymentIntentId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var connection = await gateway.ConnectAsync(db, projectId, cancellationToken)
            ?? throw new InvalidOperationException(StripeGateway.NotConfigured);
        var intent = await connection.Client.V1.PaymentIntents.GetAsync(paymentIntentId, cancellationToken: cancellationToken);
        var chargeId = intent.LatestChargeId ?? throw new InvalidOperationException($"PaymentIntent {paymentIntentId} has no charge yet.");
        var key = $"stripe-fee:{chargeId}";
        if (await db.EntryByKeyAsync(projectId, key, cancellationToken) is not null)
        {
            return;
        }

        var charge = await connection.Client.V1.Charges.GetAsync(chargeId, new ChargeGetOptions { Expand = ["balance_transaction"] },
            cancellationToken: cancellationToken);
        var balance = charge.BalanceTransaction ?? throw new InvalidOperationException($"Stripe has no balance transaction for charge {chargeId} yet.");
        var attempt = await db.CollectionAttempts.FirstOrDefaultAsync(a => a.ProjectId == projectId && a.PaymentIntentId == paymentIntentId, cancellationToken);
        if (attempt is not null)
        {
            attempt.Fee = balance.Fee;
            attempt.ChargeId ??= chargeId;
            attempt.Version++;
        }

        if (balance.Fee > 0)
        {
            var currency = balance.Currency.ToUpperInvariant();
            var fees = await db.AccountAsync(projectId, AccountKind.PaymentFees, currency, null, cancellationToken);
            var clearing = await db.AccountAsync(projectId, AccountKind.StripeClearing, currency, null, cancellationToken);
            db.JournalEntries.Add(PaymentPostings.Fee(new PostingContext(projectId, key, clock.GetUtcNow(), ActorKind.System, "stripe", "Stripe",
                $"Stripe fee on charge {chargeId} (balance transaction {balance.Id})"), fees, clearing, balance.Fee, $"stripe-charge:{chargeId}"));
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
