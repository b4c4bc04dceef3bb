using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Infrastructure.Payments.CreditPacks;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Tests.Payments;

public class CreditPackTests
{
    private static Task<UseCaseResult<CreditPackView>> CreateAsync(PaymentsScenario s, CreditPackInput input, Actor? actor = null) =>
        s.Harness.RunAsync<CreateCreditPack, CreditPackInput, CreditPackView>(actor ?? s.Harness.Admin, input);

    [Theory]
    [InlineData("", "USD", "10", "10", null, "name")]
    [InlineData("Pack", "XXX", "10", "10", null, "currency")]
    [InlineData("Pack", "USD", "0", "10", null, "price")]
    [InlineData("Pack", "USD", "-5", "10", null, "price")]
    [InlineData("Pack", "USD", "10.001", "10", null, "price")]
    [InlineData("Pack", "JPY", "1000", "0.5", null, "credit")]
    [InlineData("Pack", "USD", "10", "0", null, "credit")]
    [InlineData("Pack", "USD", "10", "10", 0, "expiryDays")]
    [InlineData("Pack", "USD", "10", "10", 3651, "expiryDays")]
    public async Task Packs_with_impossible_terms_are_refused_in_words(string name, string currency, string price, string credit, int? expiry, string field)
    {
        await using var s = await PaymentsScenario.StartAsync();
        await s.AssertRefusedAsync(await CreateAsync(s, new CreditPackInput(name, currency, price, credit, expiry, null)), field, db => db.CreditPacks.AnyAsync());
    }

    [Fact]
    public async Task A_pack_stores_minor_units_shows_its_bonus_and_is_audited()
    {
        await using var s = await PaymentsScenario.StartAsync();
        var pack = await s.PackAsync("Starter", "USD", "49.00", "55.00");

        Assert.Equal(4900, pack.Price.Minor);
        Assert.Equal(5500, pack.Credit.Minor);
        Assert.Equal(600, pack.Bonus.Minor);
        Assert.Equal(40, pack.Priority);
        Assert.True(await s.Harness.QueryAsync(db => db.AuditEntries.AnyAsync(a => a.Action == "credit_pack.created" && a.TargetId == pack.Id.ToString())));
    }

    [Fact]
    public async Task Names_are_unique_in_the_project_whatever_their_case_and_archived_packs_keep_theirs()
    {
        await using var s = await PaymentsScenario.StartAsync();
        var pack = await s.PackAsync("Starter");
        var other = await s.PackAsync("Pro", price: "99", credit: "120");
        await s.Harness.ValueAsync<ArchiveCreditPack, ArchiveCreditPack.Request, CreditPackView>(new(pack.Id));

        var again = await CreateAsync(s, new CreditPackInput("starter", "USD", "1", "1", null, null));
        var rename = await s.Harness.RunAsync<ChangeCreditPack, ChangeCreditPack.Request, CreditPackView>(s.Harness.Admin,
            new(other.Id, new CreditPackInput("STARTER", "USD", "99", "120", null, null), other.Version));

        Assert.Equal(UseCaseStatus.Invalid, again.Status);
        Assert.Contains("archived", again.Message, StringComparison.Ordinal);
        Assert.Equal(UseCaseStatus.Invalid, rename.Status);
    }

    [Fact]
    public async Task Changing_archiving_and_restoring_a_pack_is_audited_and_a_stale_edit_is_refused()
    {
        await using var s = await PaymentsScenario.StartAsync();
        var pack = await s.PackAsync();
        var changed = await s.Harness.ValueAsync<ChangeCreditPack, ChangeCreditPack.Request, CreditPackView>(
            new(pack.Id, new CreditPackInput("Starter", "EUR", "45", "50", null, 10), pack.Version));
        var stale = await s.Harness.RunAsync<ChangeCreditPack, ChangeCreditPack.Request, CreditPackView>(s.Harness.Admin,
            new(pack.Id, new CreditPackInput("Starter", "EUR", "40", "50", null, 10), pack.Version));
        await s.Harness.ValueAsync<ArchiveCreditPack, ArchiveCreditPack.Request, CreditPackView>(new(pack.Id));
        var listed = await s.Harness.ValueAsync<ListCreditPacks, ListCreditPacks.Request, CreditPackList>(new());
        var restored = await s.Harness.ValueAsync<RestoreCreditPack, RestoreCreditPack.Request, CreditPackView>(new(pack.Id));

        Assert.Equal("EUR", changed.Price.Currency.Code);
        Assert.Null(changed.ExpiryDays);
        Assert.Equal(UseCaseStatus.Conflict, stale.Status);
        Assert.Empty(listed.Packs);
        Assert.False(listed.StripeConfigured);
        Assert.False(restored.Archived);
        var actions = await s.Harness.QueryAsync(db => db.AuditEntries.Where(a => a.TargetType == "credit_pack").Select(a => a.Action).ToListAsync());
        Assert.Equal(["credit_pack.archived", "credit_pack.changed", "credit_pack.created", "credit_pack.restored"], actions.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Support_lists_packs_but_only_finance_or_admin_defines_them()
    {
        await using var s = await PaymentsScenario.StartAsync();
        var support = await s.Harness.AddPersonAsync("support@example.test", ProjectRole.Support);
        var finance = await s.Harness.AddPersonAsync("finance@example.test", ProjectRole.Finance);
        var viewer = await s.Harness.AddPersonAsync("viewer@example.test", ProjectRole.Viewer);

        Assert.Equal(UseCaseStatus.Forbidden, (await CreateAsync(s, new CreditPackInput("A", "USD", "1", "1", null, null), support)).Status);
        Assert.True((await CreateAsync(s, new CreditPackInput("A", "USD", "1", "1", null, null), finance)).Succeeded);
        var listed = await s.Harness.RunAsync<ListCreditPacks, ListCreditPacks.Request, CreditPackList>(viewer, new());
        Assert.Single(listed.Value!.Packs);
    }
}
