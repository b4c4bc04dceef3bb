using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Neruba.Infrastructure.Metering;
using Neruba.Infrastructure.Persistence;
using Neruba.Infrastructure.Tests.Support;

namespace Neruba.Infrastructure.Tests.Metering;

/// <summary>The dedup index holds 63-bit keys of (project, event id): ids whose keys collide must still be told apart.</summary>
public class DedupKeyTests
{
    // Every id's sequence starts at the same key: each new id must walk past all the earlier ones.
    private static long Colliding(Guid project, string eventId, int probe) => probe;

    [Fact]
    public async Task Ids_sharing_a_key_are_each_stored_and_each_recognised_as_duplicate_or_conflict()
    {
        await using var harness = await IngestStoreTests.StartWithMetricAsync();
        var store = new UsageEventStore(harness.Services.GetRequiredService<IDbContextFactory<NerubaDbContext>>(), Colliding);
        var Event = await IngestStoreTests.EventMakerAsync(harness);
        var now = harness.Clock.GetUtcNow();
        IngestBatch Batch(params PreparedEvent[] events) => new(harness.ProjectId, now, null, events);

        var first = await store.WriteAsync([Batch(Event("a"), Event("b"), Event("c"))], CancellationToken.None);
        var again = await store.WriteAsync([Batch(Event("c"), Event("a") with { PayloadHash = "changed" }, Event("b"), Event("d"))], CancellationToken.None);

        Assert.Equal([IngestStatus.Accepted, IngestStatus.Accepted, IngestStatus.Accepted], first[0].Select(r => r.Status));
        Assert.Equal([IngestStatus.Duplicate, IngestStatus.Conflict, IngestStatus.Duplicate, IngestStatus.Accepted], again[0].Select(r => r.Status));
        var keys = await harness.QueryAsync(db => db.UsageEvents.OrderBy(e => e.DedupKey).Select(e => new { e.EventId, e.DedupKey }).ToListAsync());
        Assert.Equal(["a:0", "b:1", "c:2", "d:3"], keys.Select(k => $"{k.EventId}:{k.DedupKey}"));
    }

    [Fact]
    public async Task An_id_finding_no_free_key_fails_its_group_and_stores_nothing_of_it()
    {
        await using var harness = await IngestStoreTests.StartWithMetricAsync();
        var store = new UsageEventStore(harness.Services.GetRequiredService<IDbContextFactory<NerubaDbContext>>(), Colliding);
        var Event = await IngestStoreTests.EventMakerAsync(harness);
        var ids = Enumerable.Range(0, EventDedupKeys.MaxProbes + 1).Select(i => Event($"e{i}")).ToArray();

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.WriteAsync([new IngestBatch(harness.ProjectId, harness.Clock.GetUtcNow(), null, ids)], CancellationToken.None));

        Assert.Equal(0, await harness.QueryAsync(db => db.UsageEvents.CountAsync()));
    }

    [Fact]
    public async Task The_same_id_in_two_projects_is_two_events()
    {
        await using var harness = await IngestStoreTests.StartWithMetricAsync();
        var store = harness.Services.GetRequiredService<UsageEventStore>();
        var Event = await IngestStoreTests.EventMakerAsync(harness);
        var now = harness.Clock.GetUtcNow();

        var results = await store.WriteAsync([new IngestBatch(harness.ProjectId, now, null, [Event("shared")]), new IngestBatch(Guid.NewGuid(), now, null, [Event("shared")])],
            CancellationToken.None);

        Assert.Equal([IngestStatus.Accepted, IngestStatus.Accepted], results.Select(r => r[0].Status));
        Assert.Equal(EventDedupKeys.Of(harness.ProjectId, "shared", 0), await harness.QueryAsync(db => db.UsageEvents.Where(e => e.ProjectId == harness.ProjectId).Select(e => e.DedupKey).SingleAsync()));
    }

    [Fact]
    public async Task Events_stored_before_dedup_keys_get_their_key_at_start_up_and_a_resend_is_a_duplicate()
    {
        await using var harness = await IngestStoreTests.StartWithMetricAsync();
        var factory = harness.Services.GetRequiredService<IDbContextFactory<NerubaDbContext>>();
        var store = new UsageEventStore(factory, Colliding);
        var Event = await IngestStoreTests.EventMakerAsync(harness);
        var now = harness.Clock.GetUtcNow();
        await store.WriteAsync([new IngestBatch(harness.ProjectId, now, null, [Event("old-1"), Event("old-2"), Event("old-3")])], CancellationToken.None);
        // What migration UsageEventDedupKeys leaves on rows it finds: a negative placeholder.
        await harness.QueryAsync(db => db.Database.ExecuteSqlRawAsync("UPDATE UsageEvents SET DedupKey = -Id"));

        await using (var db = await factory.CreateDbContextAsync())
        {
            Assert.Equal(3, await EventDedupKeyBackfill.RunAsync(db, Colliding, CancellationToken.None));
            Assert.Equal(0, await EventDedupKeyBackfill.RunAsync(db, Colliding, CancellationToken.None));
        }

        var resent = await store.WriteAsync([new IngestBatch(harness.ProjectId, now, null, [Event("old-3"), Event("old-1") with { PayloadHash = "other" }, Event("new")])],
            CancellationToken.None);
        Assert.Equal([IngestStatus.Duplicate, IngestStatus.Conflict, IngestStatus.Accepted], resent[0].Select(r => r.Status));
        Assert.Equal([0L, 1, 2, 3], await harness.QueryAsync(db => db.UsageEvents.OrderBy(e => e.DedupKey).Select(e => e.DedupKey).ToListAsync()));
    }

    [Fact]
    public async Task Ids_differing_only_in_case_or_unicode_normalisation_stay_distinct_events_as_under_the_old_binary_index()
    {
        await using var harness = await IngestStoreTests.StartWithMetricAsync();
        var store = harness.Services.GetRequiredService<UsageEventStore>();
        var Event = await IngestStoreTests.EventMakerAsync(harness);
        var now = harness.Clock.GetUtcNow();
        string[] ids = ["evt-A", "evt-a", "caf\u00e9", "cafe\u0301"];
        IngestBatch Batch() => new(harness.ProjectId, now, null, ids.Select(i => Event(i)).ToArray());

        var first = await store.WriteAsync([Batch()], CancellationToken.None);
        var again = await store.WriteAsync([Batch()], CancellationToken.None);

        Assert.All(first[0], r => Assert.Equal(IngestStatus.Accepted, r.Status));
        Assert.All(again[0], r => Assert.Equal(IngestStatus.Duplicate, r.Status));
        Assert.Equal(4, await harness.QueryAsync(db => db.UsageEvents.CountAsync()));
    }
}
