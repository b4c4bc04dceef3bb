using Stripe;

namespace Neruba.StripeFake.Tests;

public sealed class BalanceTransactionTests
{
    [Fact]
    public async Task Auto_pagination_walks_every_page_newest_first_within_the_created_filter()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
        await using var h = await Harness.StartAsync(new FakeStripeOptions { TimeProvider = clock });
        var customer = await h.CustomerAsync();
        var charges = new List<string>();
        for (var day = 0; day < 7; day++)
        {
            clock.Now = new DateTimeOffset(2026, 3, 1 + day, 12, 0, 0, TimeSpan.Zero);
            charges.Add(h.Fake.RecordOutsidePayment(customer.Id, 1_000 + day, "eur").ChargeId);
        }

        var options = new BalanceTransactionListOptions
        {
            Created = new DateRangeOptions { GreaterThanOrEqual = new DateTime(2026, 3, 2, 0, 0, 0, DateTimeKind.Utc), LessThan = new DateTime(2026, 3, 7, 0, 0, 0, DateTimeKind.Utc) },
            Limit = 2,
        };
        var seen = new List<BalanceTransaction>();
        await foreach (var txn in h.Client.V1.BalanceTransactions.ListAutoPagingAsync(options))
        {
            seen.Add(txn);
        }

        Assert.Equal([1_005L, 1_004, 1_003, 1_002, 1_001], seen.Select(t => t.Amount));
        Assert.Equal(charges[5], seen[0].SourceId);
        Assert.Equal("available", seen[^1].Status); // two days passed

        var page = await h.Client.V1.BalanceTransactions.ListAsync(options);
        Assert.True(page.HasMore);
        Assert.Equal(2, page.Data.Count);

        h.Fake.AdjustFee(seen[0].Id, 99);
        var adjusted = await h.Client.V1.BalanceTransactions.GetAsync(seen[0].Id);
        Assert.Equal(1_005 - 99, adjusted.Net);
    }

    [Fact]
    public async Task A_payout_is_a_negative_payout_balance_transaction_in_lists_and_over_http()
    {
        await using var h = await Harness.StartAsync();
        var payoutId = h.Fake.CreatePayout(12_345, "usd");
        using var http = new HttpClient { BaseAddress = new Uri(h.Fake.BaseUrl) };
        using var posted = await http.PostAsync(new Uri("/_fake/payouts?amount=500&currency=eur", UriKind.Relative), null);
        posted.EnsureSuccessStatusCode();

        var seen = new List<BalanceTransaction>();
        await foreach (var txn in h.Client.V1.BalanceTransactions.ListAutoPagingAsync(new BalanceTransactionListOptions { Expand = ["data.source"] }))
        {
            seen.Add(txn);
        }

        var payout = Assert.Single(seen, t => t.SourceId == payoutId);
        Assert.Equal(("payout", "payout", -12_345L, 0L, "usd"), (payout.Type, payout.ReportingCategory, payout.Amount, payout.Fee, payout.Currency));
        Assert.StartsWith("po_", payoutId, StringComparison.Ordinal);
        Assert.Equal(2, seen.Count(t => t.Type == "payout"));
    }
}
