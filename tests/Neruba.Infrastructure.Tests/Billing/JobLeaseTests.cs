using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Hangfire;
using Neruba.Infrastructure.Billing.Runs;
using Neruba.Infrastructure.Metering;
using Neruba.Infrastructure.Operations;
using Neruba.Infrastructure.Persistence;
using Neruba.Infrastructure.Tests.Metering;
using Neruba.Infrastructure.Tests.Support;

namespace Neruba.Infrastructure.Tests.Billing;

/// <summary>
/// Many console nodes on one database: a billing run or backfill import is worked on by the node holding its
/// lease; another node leaves it alone while that lease is live and finishes it once the lease lapses.
/// </summary>
public class JobLeaseTests
{
    /// <summary>Another console node: same database and clock, its own lease identity.</summary>
    private static JobLease OtherNode(UseCaseHarness harness) => new(new ConfigurationBuilder().Build(), harness.Clock);

    private static BillingRunJob RunJobOn(UseCaseHarness harness, JobLease node) =>
        new(harness.Services.GetRequiredService<IDbContextFactory<NerubaDbContext>>(), harness.Clock, node, NullLogger<BillingRunJob>.Instance,
            harness.Services.GetRequiredService<Neruba.Infrastructure.Payments.Collection.AutoCollection>());

    private static void LetLeasesLapse(UseCaseHarness harness) =>
        harness.Clock.Advance(harness.Services.GetRequiredService<JobLease>().Duration + TimeSpan.FromSeconds(1));

    [Fact]
    public async Task A_run_held_by_a_live_node_is_left_alone_and_another_node_finishes_it_once_the_lease_lapses()
    {
        var (harness, lastMonth) = await BillingRunTests.StartWithSubscriptionsAsync();
        await using var _ = harness;
        var run = await BillingRunTests.TriggerAsync(harness, lastMonth);
        var first = harness.Services.GetRequiredService<JobLease>();
        var second = OtherNode(harness);

        // The first node bills one customer and goes silent (killed, or hung) with its lease still live.
        await harness.Services.GetRequiredService<BillingRunJob>().RunAsync(run.Id, stopAfter: 1, CancellationToken.None);
        await RunJobOn(harness, second).RunAsync(run.Id, CancellationToken.None);
        Assert.Equal(1, await harness.QueryAsync(db => db.Invoices.CountAsync()));
        Assert.Equal(first.Owner, await harness.QueryAsync(db => db.BillingRuns.Where(r => r.Id == run.Id).Select(r => r.LeaseOwner).SingleAsync()));

        LetLeasesLapse(harness);
        await RunJobOn(harness, second).RunAsync(run.Id, CancellationToken.None);

        var invoices = await harness.QueryAsync(db => db.Invoices.Select(i => i.SubscriptionId).ToListAsync());
        Assert.Equal(2, invoices.Count);
        Assert.Equal(invoices.Count, invoices.Distinct().Count());
        var finished = await harness.QueryAsync(db => db.BillingRuns.SingleAsync(r => r.Id == run.Id));
        Assert.Equal((BillingRunStatus.Succeeded, null, null), (finished.Status, finished.LeaseOwner, finished.ActiveKey));
    }

    [Fact]
    public async Task A_node_whose_lapsed_lease_was_taken_over_does_not_bill_another_customer()
    {
        var (harness, lastMonth) = await BillingRunTests.StartWithSubscriptionsAsync();
        await using var _ = harness;
        var run = await BillingRunTests.TriggerAsync(harness, lastMonth);
        var firstNode = harness.Services.GetRequiredService<BillingRunJob>();
        await firstNode.RunAsync(run.Id, stopAfter: 1, CancellationToken.None);

        // The first node's lease lapses; the second takes the run over (and is, in turn, stopped before billing anyone).
        LetLeasesLapse(harness);
        var second = OtherNode(harness);
        await RunJobOn(harness, second).RunAsync(run.Id, stopAfter: 0, CancellationToken.None);
        await firstNode.RunAsync(run.Id, CancellationToken.None);

        Assert.Equal(1, await harness.QueryAsync(db => db.Invoices.CountAsync()));
        Assert.Equal(second.Owner, await harness.QueryAsync(db => db.BillingRuns.Where(r => r.Id == run.Id).Select(r => r.LeaseOwner).SingleAsync()));
        await RunJobOn(harness, second).RunAsync(run.Id, CancellationToken.None);
        Assert.Equal(2, await harness.QueryAsync(db => db.Invoices.CountAsync()));
    }

    [Fact]
    public async Task An_interrupted_backfill_import_keeps_its_position_and_is_resumed_once_its_lease_lapses()
    {
        await using var harness = await IngestStoreTests.StartWithMetricAsync();
        var at = harness.Clock.GetUtcNow().AddDays(-1).ToString("O");
        var csv = new StringBuilder(BackfillFile.CsvHeader).AppendLine();
        for (var i = 0; i < 2_500; i++)
        {
            csv.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"b{i},cus_acme,api_calls,{at},");
        }

        var started = await harness.RunAsync<StartBackfillImport, StartBackfillImport.Request, BackfillView>(harness.Admin,
            new("history.csv", Encoding.UTF8.GetBytes(csv.ToString())));
        Assert.True(started.Succeeded, started.Message);
        var importId = started.Value!.Id;

        // Killed after its first chunk of 1,000: its position is in the database, and its lease keeps others away for now.
        var job = harness.Services.GetRequiredService<BackfillImportJob>();
        await job.RunAsync(importId, stopAfterChunks: 1, CancellationToken.None);
        var interrupted = await harness.QueryAsync(db => db.BackfillImports.SingleAsync(b => b.Id == importId));
        Assert.Equal((BackfillStatus.Running, 1_000), (interrupted.Status, interrupted.Processed));
        Assert.Equal(0, await job.ResumeInterruptedAsync(CancellationToken.None));

        LetLeasesLapse(harness);
        Assert.Equal(1, await job.ResumeInterruptedAsync(CancellationToken.None));
        var otherNode = new BackfillImportJob(harness.Services.GetRequiredService<IDbContextFactory<NerubaDbContext>>(), harness.Services.GetRequiredService<IngestService>(),
            harness.Clock, OtherNode(harness), harness.Services.GetRequiredService<IBackgroundJobClient>(), NullLogger<BackfillImportJob>.Instance);
        await otherNode.RunAsync(importId, CancellationToken.None);

        var done = await harness.QueryAsync(db => db.BackfillImports.SingleAsync(b => b.Id == importId));
        Assert.Equal((BackfillStatus.Succeeded, 2_500, 2_500, 0, null), (done.Status, done.Processed, done.Accepted, done.Duplicates, done.LeaseOwner));
        Assert.Equal(2_500, await harness.QueryAsync(db => db.UsageEvents.CountAsync(e => e.ImportId == importId)));
    }
}
