using Neruba.Infrastructure.Payments.Disputes;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Tests.Payments.Disputes;

/// <summary>The queue: soonest evidence due first, closed and undated after, overdue ones marked; filtered by status and reason.</summary>
public sealed class DisputeQueueTests
{
    [Fact]
    public async Task The_queue_puts_the_soonest_due_first_marks_overdue_ones_and_filters_by_status_and_reason()
    {
        await using var s = await PaymentScenario.StartAsync(configure: false);
        var now = s.Harness.Clock.GetUtcNow();
        await s.Harness.QueryAsync(db =>
        {
            db.Disputes.AddRange(
                Row(s, "dp_later", DisputeStatus.NeedsResponse, "fraudulent", now.AddDays(5)),
                Row(s, "dp_lost", DisputeStatus.Lost, "fraudulent", now.AddDays(-30)),
                Row(s, "dp_overdue", DisputeStatus.NeedsResponse, "duplicate", now.AddHours(-2)),
                Row(s, "dp_undated", DisputeStatus.WarningUnderReview, "general", null),
                Row(s, "dp_soon", DisputeStatus.UnderReview, "fraudulent", now.AddDays(2).AddHours(4).AddMinutes(1)));
            return db.SaveChangesAsync();
        });

        async Task<IReadOnlyList<DisputeSummary>> ListAsync(DisputeFilter filter, string? reason = null) =>
            (await s.Harness.ValueAsync<ListDisputes, ListDisputes.Request, PageOf<DisputeSummary>>(new(filter, reason, 0, 25))).Items;

        var all = await ListAsync(DisputeFilter.All);
        Assert.Equal(["dp_overdue", "dp_soon", "dp_later", "dp_undated", "dp_lost"], all.Select(d => d.StripeDisputeId));
        Assert.Equal(["dp_overdue"], all.Where(d => d.Overdue).Select(d => d.StripeDisputeId));
        Assert.Equal("overdue by 2 h", all[0].TimeLeft);
        Assert.Equal("2 d 4 h left", all[1].TimeLeft);
        Assert.Null(all[4].TimeLeft);
        Assert.Equal(["dp_overdue", "dp_soon", "dp_later", "dp_undated"], (await ListAsync(DisputeFilter.Open)).Select(d => d.StripeDisputeId));
        Assert.Equal(["dp_overdue", "dp_later"], (await ListAsync(DisputeFilter.NeedsResponse)).Select(d => d.StripeDisputeId));
        Assert.Equal(["dp_undated"], (await ListAsync(DisputeFilter.Inquiries)).Select(d => d.StripeDisputeId));
        Assert.Equal(["dp_lost"], (await ListAsync(DisputeFilter.Lost)).Select(d => d.StripeDisputeId));
        Assert.Equal(["dp_soon", "dp_later", "dp_lost"], (await ListAsync(DisputeFilter.All, "fraudulent")).Select(d => d.StripeDisputeId));

        var bad = await s.Harness.RunAsync<ListDisputes, ListDisputes.Request, PageOf<DisputeSummary>>(s.Harness.Admin, new(DisputeFilter.All, "made_up", 0, 25));
        Assert.Equal(UseCaseStatus.Invalid, bad.Status);
    }

    internal static DisputeRecord Row(PaymentScenario s, string stripeId, DisputeStatus status, string reason, DateTimeOffset? due) => new()
    {
        Id = Guid.NewGuid(), ProjectId = s.Harness.ProjectId, StripeDisputeId = stripeId, ChargeId = "ch_" + stripeId, Currency = "USD", Amount = 4550,
        Reason = reason, Status = status, EvidenceDueBy = due, StripeCreatedAt = s.Harness.Clock.GetUtcNow().AddDays(-1), CreatedAt = s.Harness.Clock.GetUtcNow(),
        UpdatedAt = s.Harness.Clock.GetUtcNow(), Version = 1,
    };
}
