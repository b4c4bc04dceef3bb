using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Access.Projects;
using Neruba.Infrastructure.Credits;
using Neruba.Infrastructure.Tests.Support;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Tests.Ledger;

public class CreditGrantTests
{
    [Fact]
    public async Task A_grant_within_the_threshold_posts_at_once_and_the_balance_explains_it()
    {
        await using var harness = await StartWithThresholdAsync("100.00");
        var support = await harness.AddPersonAsync("support@example.test", ProjectRole.Support);

        var grant = await harness.RunAsync<RequestCreditGrant, RequestCreditGrant.Request, CreditGrantView>(support,
            new("cus_acme", "25.00", "USD", "goodwill", "Sorry for the outage", null));

        Assert.True(grant.Succeeded, grant.Message);
        Assert.Equal(CreditGrantStatus.Posted, grant.Value!.Status);
        var balance = await BalanceAsync(harness, support);
        var wallet = Assert.Single(balance.Wallets);
        Assert.Equal(2500, wallet.Available.Minor);
        var block = Assert.Single(wallet.Blocks);
        Assert.Equal(2500, block.Remaining.Minor);
        var movement = Assert.Single(wallet.Movements);
        Assert.Equal(("support@example.test", 2500L, EntryKind.CreditGrant), (movement.Actor, movement.Change.Minor, movement.Kind));
        Assert.Contains("Sorry for the outage", movement.Reason, StringComparison.Ordinal);
        Assert.Equal(1, await harness.QueryAsync(db => db.AuditEntries.CountAsync(a => a.Action == "credit.granted")));
    }

    [Fact]
    public async Task A_grant_above_the_threshold_waits_and_only_another_finance_member_decides_it()
    {
        await using var harness = await StartWithThresholdAsync("100.00");
        var support = await harness.AddPersonAsync("support@example.test", ProjectRole.Support);
        var financeRequester = await harness.AddPersonAsync("fin1@example.test", ProjectRole.Finance);
        var finance = await harness.AddPersonAsync("fin2@example.test", ProjectRole.Finance);

        var large = await harness.RunAsync<RequestCreditGrant, RequestCreditGrant.Request, CreditGrantView>(financeRequester,
            new("cus_acme", "500", "USD", "billing_error", "Double charge in March", null));
        Assert.Equal(CreditGrantStatus.PendingApproval, large.Value!.Status);
        Assert.Equal(0, await harness.QueryAsync(db => db.JournalEntries.CountAsync()));

        var bySupport = await Decide(harness, support, large.Value.Id, approve: true);
        var bySelf = await Decide(harness, financeRequester, large.Value.Id, approve: true);
        Assert.Equal(UseCaseStatus.Forbidden, bySupport.Status);
        Assert.Equal(UseCaseStatus.Forbidden, bySelf.Status);
        Assert.Contains("cannot decide it", bySelf.Message, StringComparison.Ordinal);
        Assert.Equal(0, await harness.QueryAsync(db => db.JournalEntries.CountAsync()));
        Assert.Equal(2, await harness.QueryAsync(db => db.AuditEntries.CountAsync(a => a.Action == "access.denied")));

        var approved = await Decide(harness, finance, large.Value.Id, approve: true);
        Assert.Equal(CreditGrantStatus.Approved, approved.Value!.Status);
        Assert.Equal(50_000, (await BalanceAsync(harness, finance)).Wallets.Single().Available.Minor);

        var again = await Decide(harness, finance, large.Value.Id, approve: false);
        Assert.Equal(UseCaseStatus.Conflict, again.Status);
        Assert.Equal(1, await harness.QueryAsync(db => db.JournalEntries.CountAsync()));
    }

    [Fact]
    public async Task A_rejected_grant_posts_nothing_and_keeps_the_comment()
    {
        await using var harness = await StartWithThresholdAsync("10");
        var support = await harness.AddPersonAsync("support@example.test", ProjectRole.Support);
        var finance = await harness.AddPersonAsync("fin@example.test", ProjectRole.Finance);
        var large = await harness.RunAsync<RequestCreditGrant, RequestCreditGrant.Request, CreditGrantView>(support,
            new("cus_acme", "50", "USD", "goodwill", "", null));

        var rejected = await Decide(harness, finance, large.Value!.Id, approve: false, comment: "Not covered by policy");

        Assert.Equal(CreditGrantStatus.Rejected, rejected.Value!.Status);
        Assert.Equal("Not covered by policy", rejected.Value.DecisionComment);
        Assert.Equal(0, await harness.QueryAsync(db => db.JournalEntries.CountAsync()));
        var audit = await harness.QueryAsync(db => db.AuditEntries.SingleAsync(a => a.Action == "credit.rejected"));
        Assert.Equal("Not covered by policy", audit.Reason);
    }

    [Theory]
    [InlineData("0", "USD", "goodwill", "amount")]
    [InlineData("-5", "USD", "goodwill", "amount")]
    [InlineData("1.001", "USD", "goodwill", "amount")]
    [InlineData("1.5", "JPY", "goodwill", "amount")]
    [InlineData("92233720368547758.08", "USD", "goodwill", "amount")]
    [InlineData("10", "ZZZ", "goodwill", "currency")]
    [InlineData("10", "USD", "because", "reasonCode")]
    [InlineData("10", "USD", "other", "note")]
    public async Task Bad_grants_are_refused_with_a_clear_message_and_nothing_is_posted(string amount, string currency, string reason, string field)
    {
        await using var harness = await StartWithThresholdAsync("100");

        var result = await harness.RunAsync<RequestCreditGrant, RequestCreditGrant.Request, CreditGrantView>(harness.Admin,
            new("cus_acme", amount, currency, reason, null, null));

        Assert.Equal(UseCaseStatus.Invalid, result.Status);
        Assert.True(result.Errors.ContainsKey(field), string.Join(", ", result.Errors.Keys));
        Assert.Equal(0, await harness.QueryAsync(db => db.CreditGrants.CountAsync()));
        Assert.Equal(0, await harness.QueryAsync(db => db.JournalEntries.CountAsync()));
    }

    [Fact]
    public async Task An_expiry_date_in_the_past_is_refused()
    {
        await using var harness = await StartWithThresholdAsync("100");

        var result = await harness.RunAsync<RequestCreditGrant, RequestCreditGrant.Request, CreditGrantView>(harness.Admin,
            new("cus_acme", "10", "USD", "goodwill", null, harness.Clock.GetUtcNow().AddDays(-1)));

        Assert.Equal(UseCaseStatus.Invalid, result.Status);
        Assert.Contains("past", result.Errors["expiresAt"][0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_grant_in_another_currency_than_the_projects_always_waits_for_approval()
    {
        await using var harness = await StartWithThresholdAsync("1000");

        var result = await harness.RunAsync<RequestCreditGrant, RequestCreditGrant.Request, CreditGrantView>(harness.Admin,
            new("cus_initech", "1", "EUR", "goodwill", null, null));

        Assert.Equal(CreditGrantStatus.PendingApproval, result.Value!.Status);
    }

    internal static async Task<UseCaseHarness> StartWithThresholdAsync(string threshold)
    {
        var harness = await UseCaseHarness.StartAsync();
        var updated = await harness.RunAsync<UpdateProjectSettings, ProjectSettingsInput, ProjectView>(harness.Admin, new("Demo project", "USD", "UTC", threshold));
        Assert.True(updated.Succeeded, updated.Message);
        return harness;
    }

    private static Task<UseCaseResult<CreditGrantView>> Decide(UseCaseHarness harness, Neruba.Infrastructure.UseCases.Actor actor, Guid grantId, bool approve,
        string comment = "checked the invoice") =>
        harness.RunAsync<DecideCreditGrant, DecideCreditGrant.Request, CreditGrantView>(actor, new(grantId, approve, comment));

    private static async Task<CustomerBalanceView> BalanceAsync(UseCaseHarness harness, Neruba.Infrastructure.UseCases.Actor actor)
    {
        var result = await harness.RunAsync<GetCustomerBalance, GetCustomerBalance.Request, CustomerBalanceView>(actor, new("cus_acme"));
        Assert.True(result.Succeeded, result.Message);
        return result.Value!;
    }
}
