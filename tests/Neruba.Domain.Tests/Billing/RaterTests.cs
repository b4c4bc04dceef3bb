using Neruba.Domain.Billing;
using Neruba.Domain.Ledger;

namespace Neruba.Domain.Tests.Billing;

/// <summary>Hand-worked invoices: every expected amount is computed in the comment beside it.</summary>
public class RaterTests
{
    private static readonly Guid Subscription = Guid.Parse("5b7c1a4e-0000-4000-8000-000000000001");
    private static readonly Guid Customer = Guid.Parse("5b7c1a4e-0000-4000-8000-000000000002");

    private static DateTimeOffset Day(int year, int month, int day) => new(year, month, day, 0, 0, 0, TimeSpan.Zero);

    private static PlanVersionSnapshot Version(int number, long baseFee, FeeTiming timing = FeeTiming.InArrears, long minimum = 0,
        BillingInterval interval = BillingInterval.Monthly, params UsageCharge[] charges) =>
        new(Guid.Parse($"00000000-0000-4000-8000-{number:D12}"), "pro", "Pro", number,
            new PlanTerms("USD", interval, baseFee, timing, charges, minimum, 0));

    private static UsageCharge PerCall(decimal price, decimal included = 0) => new("api_calls", ChargeModel.PerUnit, price, [], 0, included);

    private static RatingInput Input(DateTimeOffset period, SubscriptionPhase[] phases, PhaseUsage[]? usage = null, long? billedBefore = null,
        BlockBalance[]? credits = null, DateTimeOffset? anchor = null) =>
        new(Subscription, Customer, period, anchor ?? period, phases, usage ?? [], billedBefore, credits ?? []);

    [Fact]
    public void A_full_month_in_arrears_bills_the_base_fee_once()
    {
        var draft = Rater.Rate(Input(Day(2026, 11, 1), [new(Version(1, 3000), Day(2026, 1, 1), null)]));
        var line = Assert.Single(draft.Lines);
        Assert.Equal((InvoiceLineKind.BaseFee, 3000L, (int?)null), (line.Kind, line.Amount, line.ProrationDays));
        Assert.Equal("30.00 USD for 2026-11", line.Explanation);
        Assert.Equal(3000, draft.AmountDue);
    }

    [Theory]
    // February 2026 has 28 days; the change on the 15th splits it 14 + 14: 30.00 x 14/28 + 60.00 x 14/28 = 15.00 + 30.00.
    [InlineData(2026, 2, 15, 3000, 6000, 14, 28, 1500, 3000)]
    // February 2028 has 29 days; change on the 11th: 29.00 x 10/29 + 58.00 x 19/29 = 10.00 + 38.00.
    [InlineData(2028, 2, 11, 2900, 5800, 10, 29, 1000, 3800)]
    // April has 30 days; change on the 11th: 30.00 x 10/30 + 60.00 x 20/30 = 10.00 + 40.00.
    [InlineData(2026, 4, 11, 3000, 6000, 10, 30, 1000, 4000)]
    // January has 31 days; change on the 11th: 31.00 x 10/31 + 62.00 x 21/31 = 10.00 + 42.00.
    [InlineData(2026, 1, 11, 3100, 6200, 10, 31, 1000, 4200)]
    public void A_plan_change_prorates_the_base_fee_by_day(int year, int month, int changeDay, long oldFee, long newFee, int oldDays, int daysInMonth,
        long oldAmount, long newAmount)
    {
        var change = Day(year, month, changeDay);
        var draft = Rater.Rate(Input(Day(year, month, 1), [new(Version(1, oldFee), Day(2025, 1, 1), change), new(Version(2, newFee), change, null)]));
        Assert.Equal([oldAmount, newAmount], draft.Lines.Select(l => l.Amount));
        Assert.Equal((oldDays, daysInMonth), (draft.Lines[0].ProrationDays, draft.Lines[0].ProrationOfDays));
        Assert.Equal((daysInMonth - oldDays, daysInMonth), (draft.Lines[1].ProrationDays, draft.Lines[1].ProrationOfDays));
        Assert.Equal(oldAmount + newAmount, draft.Subtotal);
    }

    [Fact]
    public void Proration_rounds_each_line_half_away_from_zero()
    {
        // Cancelled after one day of January: 10.00 x 1/31 = 0.32258... -> 0.32.
        var draft = Rater.Rate(Input(Day(2026, 1, 1), [new(Version(1, 1000), Day(2025, 6, 1), Day(2026, 1, 2))]));
        Assert.Equal(32, Assert.Single(draft.Lines).Amount);
        Assert.Equal("10.00 USD x 1/31 days of 2026-01 = 0.32 USD", draft.Lines[0].Explanation);
    }

    [Fact]
    public void In_advance_bills_the_next_month_and_nothing_more_when_this_one_was_paid_ahead()
    {
        var draft = Rater.Rate(Input(Day(2026, 11, 1), [new(Version(1, 3000, FeeTiming.InAdvance), Day(2026, 1, 1), null)], billedBefore: 3000));
        var line = Assert.Single(draft.Lines);
        Assert.Equal((Day(2026, 12, 1), 3000L), (line.FeePeriodStart, line.Amount));
        Assert.Contains("in advance", line.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void In_advance_catches_up_a_first_month_never_billed()
    {
        // Started 16 November: 30.00 x 15/30 = 15.00 for November, plus December in advance 30.00.
        var draft = Rater.Rate(Input(Day(2026, 11, 1), [new(Version(1, 3000, FeeTiming.InAdvance), Day(2026, 11, 16), null)]));
        Assert.Equal([(Day(2026, 11, 1), 1500L), (Day(2026, 12, 1), 3000L)], draft.Lines.Select(l => (l.FeePeriodStart!.Value, l.Amount)));
    }

    [Fact]
    public void In_advance_does_not_bill_a_next_month_that_a_later_invoice_already_billed()
    {
        // October was run first and billed November ahead; running September afterwards must not bill October twice.
        var draft = Rater.Rate(Input(Day(2026, 9, 1), [new(Version(1, 3000, FeeTiming.InAdvance), Day(2026, 9, 1), null)]) with { BaseFeeBilledForNextFeePeriod = 3000 });
        var line = Assert.Single(draft.Lines);
        Assert.Equal(Day(2026, 9, 1), line.FeePeriodStart);
    }

    [Fact]
    public void In_advance_upgrade_mid_month_bills_the_difference_and_the_next_month_at_the_new_price()
    {
        // November was billed 30.00 ahead. Upgrade on the 16th: owed 30.00 x 15/30 + 60.00 x 15/30 = 45.00; adjustment +15.00; December 60.00.
        var change = Day(2026, 11, 16);
        var draft = Rater.Rate(Input(Day(2026, 11, 1),
            [new(Version(1, 3000, FeeTiming.InAdvance), Day(2026, 1, 1), change), new(Version(2, 6000, FeeTiming.InAdvance), change, null)], billedBefore: 3000));
        Assert.Equal([(InvoiceLineKind.BaseFeeAdjustment, 1500L), (InvoiceLineKind.BaseFee, 6000L)], draft.Lines.Select(l => (l.Kind, l.Amount)));
        Assert.Equal("2026-11 now costs 45.00 USD by the plan versions in force; 30.00 USD was billed in advance; difference 15.00 USD", draft.Lines[0].Explanation);
    }

    [Fact]
    public void In_advance_cancellation_at_period_end_bills_no_next_month()
    {
        var draft = Rater.Rate(Input(Day(2026, 11, 1), [new(Version(1, 3000, FeeTiming.InAdvance), Day(2026, 1, 1), Day(2026, 12, 1))], billedBefore: 3000));
        Assert.Empty(draft.Lines);
        Assert.Equal(0, draft.AmountDue);
    }

    [Fact]
    public void Immediate_cancellation_in_advance_gives_back_the_unused_days()
    {
        // Billed 30.00 ahead; cancelled on the 11th: owed 30.00 x 10/30 = 10.00; adjustment -20.00; no December.
        var draft = Rater.Rate(Input(Day(2026, 11, 1), [new(Version(1, 3000, FeeTiming.InAdvance), Day(2026, 1, 1), Day(2026, 11, 11))], billedBefore: 3000));
        var line = Assert.Single(draft.Lines);
        Assert.Equal((InvoiceLineKind.BaseFeeAdjustment, -2000L), (line.Kind, line.Amount));
        Assert.Empty(draft.Credits);
    }

    [Fact]
    public void A_yearly_fee_in_advance_is_billed_in_the_month_before_the_year_starts()
    {
        var yearly = Version(1, 120000, FeeTiming.InAdvance, interval: BillingInterval.Yearly);
        var phases = new SubscriptionPhase[] { new(yearly, Day(2026, 1, 1), null) };
        var november = Rater.Rate(Input(Day(2026, 11, 1), phases, billedBefore: 120000, anchor: Day(2026, 1, 1)));
        var december = Rater.Rate(Input(Day(2026, 12, 1), phases, billedBefore: 120000, anchor: Day(2026, 1, 1)));
        Assert.Empty(november.Lines);
        var line = Assert.Single(december.Lines);
        Assert.Equal((Day(2027, 1, 1), 120000L), (line.FeePeriodStart, line.Amount));
        Assert.Equal("1,200.00 USD for 2027-01-01 to 2027-12-31", line.Explanation);
    }

    [Fact]
    public void Usage_is_charged_under_the_version_in_force_when_it_happened()
    {
        // 1,000 calls at 0.01 before the change (10.00), 1,000 at 0.02 after it (20.00); base fees 0.
        var change = Day(2026, 2, 15);
        var draft = Rater.Rate(Input(Day(2026, 2, 1),
            [new(Version(1, 0, charges: PerCall(0.01m)), Day(2026, 1, 1), change), new(Version(2, 0, charges: PerCall(0.02m)), change, null)],
            [new(Day(2026, 1, 1), "api_calls", 1000), new(change, "api_calls", 1000)]));
        Assert.Equal([1000L, 2000L], draft.Lines.Select(l => l.Amount));
        Assert.Equal(["api_calls, Pro v1 (14 of 28 days)", "api_calls, Pro v2 (14 of 28 days)"], draft.Lines.Select(l => l.Description));
    }

    [Fact]
    public void A_partial_month_prorates_the_allowance_to_whole_units()
    {
        // 1,000 included x 10/31 days = 322.58 -> 323; 500 used - 323 = 177 x 0.01 = 1.77.
        var draft = Rater.Rate(Input(Day(2026, 1, 1), [new(Version(1, 0, charges: PerCall(0.01m, 1000)), Day(2026, 1, 22), null)],
            [new(Day(2026, 1, 22), "api_calls", 500)]));
        var line = Assert.Single(draft.Lines);
        Assert.Equal(177, line.Amount);
        Assert.StartsWith("allowance 1,000 x 10/31 days = 323; 500 used - 323 included = 177 billable", line.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Zero_usage_still_shows_the_charge_with_nothing_to_pay()
    {
        var draft = Rater.Rate(Input(Day(2026, 11, 1), [new(Version(1, 0, charges: PerCall(0.01m)), Day(2026, 1, 1), null)]));
        var line = Assert.Single(draft.Lines);
        Assert.Equal((0m, 0L), (line.Quantity, line.Amount));
        Assert.Equal(0, draft.AmountDue);
    }

    [Theory]
    [InlineData(3000, 2000, 3000)] // 2,000 billable x 0.01 = 20.00 under the 50.00 minimum: top-up 30.00
    [InlineData(0, 0, 5000)] // no usage: the whole minimum
    [InlineData(7000, 6000, 0)] // 60.00 of usage beats the minimum: no top-up
    public void Minimum_commitment_tops_usage_up(decimal calls, long usageAmount, long topUp)
    {
        var draft = Rater.Rate(Input(Day(2026, 11, 1), [new(Version(1, 0, minimum: 5000, charges: PerCall(0.01m, 1000)), Day(2026, 1, 1), null)],
            [new(Day(2026, 1, 1), "api_calls", calls)]));
        Assert.Equal(usageAmount, draft.Lines.Where(l => l.Kind == InvoiceLineKind.Usage).Sum(l => l.Amount));
        Assert.Equal(topUp, draft.Lines.Where(l => l.Kind == InvoiceLineKind.MinimumCommitment).Sum(l => l.Amount));
        Assert.Equal(Math.Max(usageAmount, 5000), draft.Subtotal);
    }

    [Fact]
    public void Credits_pay_earliest_expiry_first_and_skip_expired_blocks()
    {
        var expiring = new BlockBalance(Guid.Parse("00000000-0000-4000-8000-0000000000b1"), 2000, Day(2026, 12, 31), 10, Day(2026, 10, 1));
        var open = new BlockBalance(Guid.Parse("00000000-0000-4000-8000-0000000000b2"), 10000, null, 30, Day(2026, 9, 1));
        var expired = new BlockBalance(Guid.Parse("00000000-0000-4000-8000-0000000000b3"), 9900, Day(2026, 11, 20), 10, Day(2026, 9, 1));
        // Subtotal 45.00: 20.00 from the expiring block, 25.00 from the open one; the one that expired on the 20th is not used.
        var draft = Rater.Rate(Input(Day(2026, 11, 1), [new(Version(1, 4500), Day(2026, 1, 1), null)], credits: [open, expired, expiring]));
        Assert.Equal([(expiring.BlockId, 2000L), (open.BlockId, 2500L)], draft.Credits.Select(c => (c.BlockId, c.Amount)));
        Assert.Equal((4500L, 4500L, 0L), (draft.Subtotal, draft.CreditsApplied, draft.AmountDue));
    }

    [Fact]
    public void Credits_cover_what_they_hold_and_the_rest_is_due()
    {
        var block = new BlockBalance(Guid.Parse("00000000-0000-4000-8000-0000000000b1"), 1000, null, 30, Day(2026, 9, 1));
        var draft = Rater.Rate(Input(Day(2026, 11, 1), [new(Version(1, 4500), Day(2026, 1, 1), null)], credits: [block]));
        Assert.Equal((1000L, 3500L), (draft.CreditsApplied, draft.AmountDue));
    }

    [Fact]
    public void The_same_inputs_give_a_byte_identical_draft_in_any_order()
    {
        var change = Day(2026, 2, 15);
        var phases = new SubscriptionPhase[]
        {
            new(Version(1, 3000, charges: [PerCall(0.01m, 100), new UsageCharge("storage_gb", ChargeModel.Graduated, 0, [new(10, 1m), new(null, 0.5m)], 0, 0)]), Day(2026, 1, 1), change),
            new(Version(2, 6000, charges: PerCall(0.02m)), change, null),
        };
        PhaseUsage[] usage = [new(Day(2026, 1, 1), "api_calls", 1234), new(Day(2026, 1, 1), "storage_gb", 25.5m), new(change, "api_calls", 99)];
        BlockBalance[] credits =
        [
            new(Guid.Parse("00000000-0000-4000-8000-0000000000b1"), 1500, null, 30, Day(2026, 1, 3)),
            new(Guid.Parse("00000000-0000-4000-8000-0000000000b2"), 700, null, 30, Day(2026, 1, 3)),
        ];

        var first = Rater.Rate(Input(Day(2026, 2, 1), phases, usage, credits: credits));
        var again = Rater.Rate(Input(Day(2026, 2, 1), [.. phases.Reverse()], [.. usage.Reverse()], credits: [.. credits.Reverse()]));

        Assert.Equal(first.ToCanonicalJson(), again.ToCanonicalJson());
        Assert.Equal(first.Hash(), again.Hash());
        Assert.Equal(64, first.Hash().Length);
        Assert.Equal(first.ToCanonicalJson(), InvoiceDraft.FromCanonicalJson(first.ToCanonicalJson()).ToCanonicalJson());

        // A different input changes the hash.
        var more = Rater.Rate(Input(Day(2026, 2, 1), phases, [.. usage, new(change, "api_calls", 1)], credits: credits));
        Assert.NotEqual(first.Hash(), more.Hash());
    }

    [Fact]
    public void Phases_in_different_currencies_are_refused()
    {
        var euro = Version(2, 100) with { Terms = Version(2, 100).Terms with { Currency = "EUR" } };
        var change = Day(2026, 2, 15);
        Assert.Throws<ArgumentException>(() => Rater.Rate(Input(Day(2026, 2, 1), [new(Version(1, 100), Day(2026, 1, 1), change), new(euro, change, null)])));
    }
}
