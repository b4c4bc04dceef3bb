using System.Globalization;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Payments;
using Neruba.Infrastructure.Payments.Collection;
using Neruba.Infrastructure.Payments.Refunds;
using Neruba.Infrastructure.Payments.Webhooks;
using Neruba.Infrastructure.Tests.Corrections;
using Neruba.Infrastructure.Tests.Support;
using Neruba.StripeFake;
using Neruba.StripeFake.Webhooks;
using Stripe;

namespace Neruba.Infrastructure.Tests.Payments;

/// <summary>
/// The corrections scenario (acme owes 45.50 on last month's invoice) with Stripe configured against the local fake. Webhooks are held by the
/// fake and handed to Neruba's intake with a real signature by <see cref="DeliverAsync"/>; jobs run when a test runs them, as a worker would.
/// </summary>
internal sealed class PaymentScenario : IAsyncDisposable
{
    public const string SecretKey = "sk_test_neruba_scenario";
    public const string WebhookSecret = "whsec_neruba_scenario";

    private int _delivered;

    private PaymentScenario(CorrectionScenario billing, FakeStripeServer fake, string slug)
    {
        Billing = billing;
        Fake = fake;
        Slug = slug;
    }

    public CorrectionScenario Billing { get; }
    public FakeStripeServer Fake { get; }
    public string Slug { get; }
    public UseCaseHarness Harness => Billing.Harness;

    /// <param name="timeoutSeconds">Stripe.net's patience: short only for a test of a network timeout, so a loaded machine never times out others.</param>
    /// <remarks>
    /// The fake runs on the harness clock, so what it dates (balance transactions, evidence due dates) falls on the day the suite pretends it is
    /// (NERUBA_TEST_CLOCK) and in the same windows as the ledger's entries. Webhooks are signed here with the real time, as the intake checks.
    /// </remarks>
    public static async Task<PaymentScenario> StartAsync(string retrySchedule = "1,3,7", bool configure = true, int timeoutSeconds = 30)
    {
        var billing = await CorrectionScenario.StartAsync();
        var fake = await FakeStripeServer.StartAsync(new FakeStripeOptions
        {
            SecretKey = SecretKey, WebhookMode = WebhookMode.Manual, TimeoutHold = TimeSpan.FromSeconds(15),
            TimeProvider = billing.Harness.Clock,
        });

        // Set before the gateway is first made: its HTTP client takes the timeout once. No Stripe.net retries, so one injected fault is one failure.
        var options = billing.Harness.Services.GetRequiredService<StripeOptions>();
        options.ApiBase = fake.BaseUrl;
        options.TimeoutSeconds = timeoutSeconds;
        options.MaxNetworkRetries = 0;
        var slug = await billing.Harness.QueryAsync(db => db.Projects.Where(p => p.Id == billing.Harness.ProjectId).Select(p => p.Slug).SingleAsync());
        var scenario = new PaymentScenario(billing, fake, slug);
        if (configure)
        {
            await scenario.ConfigureAsync(retrySchedule);
        }

        return scenario;
    }

    public async Task ConfigureAsync(string retrySchedule = "1,3,7", bool autoCollect = false)
    {
        var secrets = Harness.Services.GetRequiredService<StripeSecrets>();
        await Harness.QueryAsync(async db =>
        {
            db.StripeAccounts.Add(new StripeAccountRecord
            {
                ProjectId = Harness.ProjectId, SecretKeyProtected = secrets.Protect(SecretKey), SecretKeyHint = StripeSecrets.Hint(SecretKey),
                PublishableKey = "pk_test_neruba", WebhookSecretProtected = secrets.Protect(WebhookSecret), WebhookSecretHint = StripeSecrets.Hint(WebhookSecret),
                AutoCollect = autoCollect, RetryScheduleDays = retrySchedule, UpdatedAt = Harness.Clock.GetUtcNow(), UpdatedByName = "test",
            });
            return await db.SaveChangesAsync();
        });
    }

    public T Service<T>() where T : notnull => Harness.Services.GetRequiredService<T>();

    public static string Sign(string payload, string secret, DateTimeOffset? at = null)
    {
        var t = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();
        return $"t={t.ToString(CultureInfo.InvariantCulture)},v1={EventUtility.ComputeSignature(secret, t.ToString(CultureInfo.InvariantCulture), payload)}";
    }

    /// <summary>Hands every event the fake made since the last call to Neruba's intake, correctly signed, in order (or reversed).</summary>
    public async Task<List<WebhookIntakeResult>> DeliverAsync(bool reverse = false)
    {
        var log = Fake.EventLog();
        var fresh = log.Skip(_delivered).ToList();
        _delivered = log.Count;
        if (reverse)
        {
            fresh.Reverse();
        }

        var results = new List<WebhookIntakeResult>();
        foreach (var (id, _) in fresh)
        {
            results.Add(await ReceiveAsync(Fake.GetObjectJson(id)!));
        }

        return results;
    }

    public Task<WebhookIntakeResult> ReceiveAsync(string json, string? signature = null) =>
        Service<StripeWebhookIntake>().ReceiveAsync(Slug, json, signature ?? Sign(json, WebhookSecret), CancellationToken.None);

    /// <summary>Processes every stored, unprocessed event in the order it was received, as the queued jobs would.</summary>
    public async Task ProcessAsync()
    {
        var pending = await Harness.QueryAsync(db => db.StripeEvents.Where(e => e.Status == StripeEventStatus.Received).OrderBy(e => e.ReceivedAt)
            .Select(e => e.Id).ToListAsync());
        foreach (var id in pending)
        {
            await Service<StripeEventProcessor>().ProcessAsync(id, CancellationToken.None);
        }
    }

    public async Task DeliverAndProcessAsync()
    {
        await DeliverAsync();
        await ProcessAsync();
    }

    public async Task<CollectionAttemptView> CollectAsync(string invoice)
    {
        var result = await Harness.RunAsync<CollectInvoice, CollectInvoice.Request, CollectionAttemptView>(Harness.Admin, new(invoice));
        Assert.True(result.Succeeded, result.Message);
        return result.Value!;
    }

    public Task RunCollectionAsync(Guid attemptId) => Service<CollectionJob>().RunAsync(attemptId, CancellationToken.None);

    public Task<List<CollectionAttemptRecord>> AttemptsAsync(Guid invoiceId) =>
        Harness.QueryAsync(db => db.CollectionAttempts.AsNoTracking().Where(a => a.InvoiceId == invoiceId).OrderBy(a => a.Number).ToListAsync());

    public Task<List<StripeRefundRecord>> RefundsAsync() =>
        Harness.QueryAsync(db => db.StripeRefunds.AsNoTracking().OrderBy(r => r.CreatedAt).ToListAsync());

    public Task<int> EntriesAsync(EntryKind kind) =>
        Harness.QueryAsync(db => db.JournalEntries.CountAsync(e => e.ProjectId == Harness.ProjectId && e.Kind == kind));

    /// <summary>Collects acme's invoice in full through Stripe: the attempt, the PaymentIntent, the webhook.</summary>
    public async Task<InvoiceRecord> PayAcmeThroughStripeAsync()
    {
        var attempt = await CollectAsync(Billing.Acme);
        await RunCollectionAsync(attempt.Id);
        await DeliverAndProcessAsync();
        return await Billing.InvoiceAsync(Billing.Acme);
    }

    /// <summary>The ids of the jobs of this type waiting in Hangfire's queue (the test host runs no worker).</summary>
    public IReadOnlyList<string> Enqueued<TJob>() => Service<JobStorage>().GetMonitoringApi().EnqueuedJobs("default", 0, 1000)
        .Where(j => j.Value.Job?.Type == typeof(TJob)).Select(j => string.Join(",", j.Value.Job.Args)).ToList();

    public async ValueTask DisposeAsync()
    {
        await Fake.DisposeAsync();
        await Harness.DisposeAsync();
    }
}
