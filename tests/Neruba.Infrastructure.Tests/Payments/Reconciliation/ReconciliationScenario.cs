using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Audit;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Ledger;
using Neruba.Infrastructure.Payments;
using Neruba.Infrastructure.Payments.Collection;
using Neruba.Infrastructure.Payments.Fees;
using Neruba.Infrastructure.Payments.Reconciliation;
using Neruba.Infrastructure.UseCases;
using Stripe;

namespace Neruba.Infrastructure.Tests.Payments.Reconciliation;

/// <summary>
/// The payment scenario with the fake on the harness clock, so balance transactions and ledger entries fall in the same window. The window
/// opens when the scenario starts; <see cref="ReconcileAsync"/> closes it a minute later, starts a run as Finance would and runs its job.
/// </summary>
internal sealed class ReconciliationScenario(PaymentScenario payments, DateTimeOffset windowStart) : IAsyncDisposable
{
    public PaymentScenario Payments { get; } = payments;
    public DateTimeOffset WindowStart { get; } = windowStart;

    public static async Task<ReconciliationScenario> StartAsync()
    {
        var payments = await PaymentScenario.StartAsync();
        var now = payments.Harness.Clock.GetUtcNow();
        return new ReconciliationScenario(payments, new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero));
    }

    /// <summary>Acme's invoice collected through Stripe, and its fee recorded as the fee job does.</summary>
    public async Task<CollectionAttemptRecord> PayAcmeWithFeeAsync()
    {
        var invoice = await Payments.PayAcmeThroughStripeAsync();
        var attempt = (await Payments.AttemptsAsync(invoice.Id)).Single(a => a.Status == CollectionStatus.Succeeded);
        await Payments.Service<StripeFeeJob>().RecordAsync(Payments.Harness.ProjectId, attempt.PaymentIntentId!, CancellationToken.None);
        return (await Payments.AttemptsAsync(invoice.Id)).Single(a => a.Id == attempt.Id);
    }

    public async Task<ReconciliationRunView> ReconcileAsync(Actor? actor = null)
    {
        Payments.Harness.Clock.Advance(TimeSpan.FromMinutes(1));
        var end = Payments.Harness.Clock.GetUtcNow();
        var started = await Payments.Harness.RunAsync<StartReconciliation, StartReconciliation.Request, ReconciliationRunView>(actor ?? Payments.Harness.Admin,
            new(WindowStart, end));
        Assert.True(started.Succeeded, started.Message);
        await Payments.Service<ReconciliationJob>().RunAsync(started.Value!.Id, CancellationToken.None);
        return await RunAsync(started.Value.Id);
    }

    public Task<ReconciliationRunView> RunAsync(Guid id) =>
        Payments.Harness.QueryAsync(async db => ReconciliationRunView.Of(await db.ReconciliationRuns.AsNoTracking().SingleAsync(r => r.Id == id)));

    /// <summary>The project's mismatches by kind (as declared, not as stored).</summary>
    public async Task<List<ReconciliationMismatchRecord>> MismatchesAsync(MismatchStatus? status = MismatchStatus.Open) =>
        [.. (await Payments.Harness.QueryAsync(db => db.ReconciliationMismatches.AsNoTracking()
            .Where(m => m.ProjectId == Payments.Harness.ProjectId && (status == null || m.Status == status)).ToListAsync())).OrderBy(m => m.Kind)];

    public async Task<StripeConnection> ConnectAsync() =>
        (await Payments.Harness.QueryAsync(db => Payments.Service<StripeGateway>().ConnectAsync(db, Payments.Harness.ProjectId, CancellationToken.None)))!;

    /// <summary>The Stripe customer of a Neruba customer (created and linked when there is none yet).</summary>
    public async Task<string> StripeCustomerAsync(string externalId)
    {
        var connection = await ConnectAsync();
        return await Payments.Harness.QueryAsync(async db =>
        {
            var customer = await db.Customers.SingleAsync(c => c.ProjectId == Payments.Harness.ProjectId && c.ExternalId == externalId);
            return await StripeCustomerLinks.EnsureAsync(db, connection, customer, CancellationToken.None);
        });
    }

    public async Task<BalanceTransaction> ChargeTransactionAsync(string chargeId) =>
        (await (await ConnectAsync()).Client.V1.Charges.GetAsync(chargeId, new ChargeGetOptions { Expand = ["balance_transaction"] })).BalanceTransaction;

    public Task<UseCaseResult<MismatchActionResult>> PostEntryAsync(Actor actor, Guid mismatchId, string reason = "Matches Stripe's dashboard") =>
        Payments.Harness.RunAsync<PostMismatchEntry, PostMismatchEntry.Request, MismatchActionResult>(actor, new(mismatchId, reason));

    public ValueTask DisposeAsync() => Payments.DisposeAsync();
}
