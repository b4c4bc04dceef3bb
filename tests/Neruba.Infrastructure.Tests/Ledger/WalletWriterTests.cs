using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Neruba.Domain.Audit;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Credits;
using Neruba.Infrastructure.Ledger;
using Neruba.Infrastructure.Tests.Support;

namespace Neruba.Infrastructure.Tests.Ledger;

public class WalletWriterTests
{
    [Fact]
    public async Task The_expiry_job_writes_off_expired_remainders_once_and_leaves_live_credit()
    {
        await using var harness = await UseCaseHarness.StartAsync();
        var customerId = await CustomerAsync(harness);
        var writer = harness.Services.GetRequiredService<WalletWriter>();
        await writer.GrantAsync(Context(harness, "soon"), customerId, "USD", CreditSource.Promotional, 1_000, harness.Clock.GetUtcNow().AddHours(1), null);
        await writer.GrantAsync(Context(harness, "later"), customerId, "USD", CreditSource.SupportGrant, 700, harness.Clock.GetUtcNow().AddDays(30), null);
        await writer.ConsumeAsync(Context(harness, "spend"), customerId, "USD", 400, null);
        harness.Clock.Advance(TimeSpan.FromHours(2));

        await harness.Services.GetRequiredService<CreditExpiryJob>().RunAsync(CancellationToken.None);
        await harness.Services.GetRequiredService<CreditExpiryJob>().RunAsync(CancellationToken.None);

        var expiries = await harness.QueryAsync(db => db.JournalEntries.Include(e => e.Postings).Where(e => e.Kind == EntryKind.CreditExpiry).ToListAsync());
        var expiry = Assert.Single(expiries);
        Assert.Contains(expiry.Postings, p => p.Amount == 600 && p.CreditBlockId != null);
        var walletId = await harness.QueryAsync(db => db.LedgerAccounts.Where(a => a.Kind == AccountKind.CustomerWallet).Select(a => a.Id).SingleAsync());
        Assert.Equal(-700, await harness.QueryAsync(db => db.BalanceAsync(walletId, CancellationToken.None)));
    }

    [Fact]
    public async Task Journal_entries_postings_and_blocks_cannot_be_changed_or_deleted()
    {
        await using var harness = await UseCaseHarness.StartAsync();
        var writer = harness.Services.GetRequiredService<WalletWriter>();
        await writer.GrantAsync(Context(harness, "g"), await CustomerAsync(harness), "USD", CreditSource.SupportGrant, 500, null, null);

        await Assert.ThrowsAsync<InvalidOperationException>(() => harness.QueryAsync(async db =>
        {
            db.Postings.Remove(await db.Postings.FirstAsync());
            return await db.SaveChangesAsync();
        }));
        await Assert.ThrowsAsync<InvalidOperationException>(() => harness.QueryAsync(async db =>
        {
            var entry = await db.JournalEntries.FirstAsync();
            db.Entry(entry).Property(nameof(JournalEntry.Reason)).CurrentValue = "edited";
            return await db.SaveChangesAsync();
        }));
        await Assert.ThrowsAsync<InvalidOperationException>(() => harness.QueryAsync(async db =>
        {
            db.CreditBlocks.Remove(await db.CreditBlocks.FirstAsync());
            return await db.SaveChangesAsync();
        }));
        Assert.Equal(2, await harness.QueryAsync(db => db.Postings.CountAsync()));
    }

    private static PostingContext Context(UseCaseHarness harness, string key) =>
        new(harness.ProjectId, key, harness.Clock.GetUtcNow(), ActorKind.System, "test", "test", "test");

    private static Task<Guid> CustomerAsync(UseCaseHarness harness) =>
        harness.QueryAsync(db => db.Customers.Where(c => c.ExternalId == "cus_acme").Select(c => c.Id).SingleAsync());
}
