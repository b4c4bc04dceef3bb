using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Access.Projects;
using Neruba.Infrastructure.Credits;
using Neruba.Infrastructure.Tests.Support;
using Neruba.Infrastructure.UseCases;
using static Neruba.Infrastructure.Tests.Ledger.CreditGrantTests;

namespace Neruba.Infrastructure.Tests.Ledger;

/// <summary>Attempts to get credit past the second person: through an API key, by splitting, by racing, by a typo.</summary>
public class FourEyesTests
{
    [Fact]
    public async Task A_grant_requested_with_an_api_key_belongs_to_the_keys_owner_who_cannot_approve_it()
    {
        await using var harness = await StartWithThresholdAsync("100.00");
        var owner = await harness.AddPersonAsync("fin1@example.test", ProjectRole.Finance);
        var other = await harness.AddPersonAsync("fin2@example.test", ProjectRole.Finance);
        var ownersKey = Actor.Key(Guid.NewGuid(), "API key ops (nrb_x…)", harness.ProjectId, [ApiScopes.CreditsWrite], owner.Id);

        var requested = await Grant(harness, ownersKey, "500");
        Assert.Equal(CreditGrantStatus.PendingApproval, requested.Value!.Status);

        var bySelf = await Decide(harness, owner, requested.Value.Id, approve: true);
        Assert.Equal(UseCaseStatus.Forbidden, bySelf.Status);
        Assert.Contains("API key", bySelf.Message, StringComparison.Ordinal);
        Assert.Equal(0, await harness.QueryAsync(db => db.JournalEntries.CountAsync()));
        Assert.Equal(1, await harness.QueryAsync(db => db.AuditEntries.CountAsync(a => a.Action == "access.denied" && a.ActorId == owner.Id)));

        var byOther = await Decide(harness, other, requested.Value.Id, approve: true);
        Assert.Equal(CreditGrantStatus.Approved, byOther.Value!.Status);
    }

    [Fact]
    public async Task Splitting_a_grant_does_not_avoid_approval_within_the_window_and_rejected_ones_do_not_count()
    {
        await using var harness = await StartWithThresholdAsync("100.00");
        var support = await harness.AddPersonAsync("support@example.test", ProjectRole.Support);
        var finance = await harness.AddPersonAsync("fin@example.test", ProjectRole.Finance);

        Assert.Equal(CreditGrantStatus.Posted, (await Grant(harness, support, "60")).Value!.Status);
        var second = await Grant(harness, support, "60");
        Assert.Equal(CreditGrantStatus.PendingApproval, second.Value!.Status);

        // The pending one counts too: even 1.00 more now waits.
        Assert.Equal(CreditGrantStatus.PendingApproval, (await Grant(harness, support, "1")).Value!.Status);

        // Other customers have their own window.
        Assert.Equal(CreditGrantStatus.Posted, (await Grant(harness, support, "60", "cus_initech")).Value!.Status);

        harness.Clock.Advance(TimeSpan.FromHours(25));
        Assert.Equal(CreditGrantStatus.Posted, (await Grant(harness, support, "60")).Value!.Status);
        var again = await Grant(harness, support, "50");
        Assert.Equal(CreditGrantStatus.PendingApproval, again.Value!.Status);
        Assert.True((await Decide(harness, finance, again.Value.Id, approve: false)).Succeeded);
        Assert.Equal(CreditGrantStatus.Posted, (await Grant(harness, support, "40")).Value!.Status);
    }

    [Fact]
    public async Task Grants_racing_each_other_never_post_more_than_the_threshold_without_approval()
    {
        await using var harness = await StartWithThresholdAsync("100.00");
        var support = await harness.AddPersonAsync("support@example.test", ProjectRole.Support);

        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Task.Run(() => Grant(harness, support, "30"))));

        Assert.All(results, r => Assert.True(r.Succeeded, r.Message));
        var posted = await harness.QueryAsync(db => db.CreditGrants.Where(g => g.Status == CreditGrantStatus.Posted).Select(g => g.Amount).ToListAsync());
        Assert.Equal(3, posted.Count);
        Assert.Equal(12, await harness.QueryAsync(db => db.CreditGrants.CountAsync()));
    }

    [Fact]
    public async Task An_approval_and_a_rejection_racing_each_other_cannot_both_win()
    {
        await using var harness = await StartWithThresholdAsync("10");
        var support = await harness.AddPersonAsync("support@example.test", ProjectRole.Support);
        var approver = await harness.AddPersonAsync("fin1@example.test", ProjectRole.Finance);
        var rejecter = await harness.AddPersonAsync("fin2@example.test", ProjectRole.Finance);

        for (var round = 0; round < 5; round++)
        {
            var pending = await Grant(harness, support, "50");
            var approve = Task.Run(() => Decide(harness, approver, pending.Value!.Id, approve: true));
            var reject = Task.Run(() => Decide(harness, rejecter, pending.Value!.Id, approve: false));
            var outcomes = await Task.WhenAll(approve, reject);

            var winner = Assert.Single(outcomes, o => o.Succeeded);
            var loser = Assert.Single(outcomes, o => !o.Succeeded);
            Assert.Equal(UseCaseStatus.Conflict, loser.Status);
            Assert.Contains($"already {winner.Value!.Status.ToString().ToLowerInvariant()} by {winner.Value.DecidedBy}", loser.Message, StringComparison.Ordinal);
            var stored = await harness.QueryAsync(db => db.CreditGrants.SingleAsync(g => g.Id == pending.Value!.Id));
            Assert.Equal(winner.Value.Status, stored.Status);
        }

        var approvedCount = await harness.QueryAsync(db => db.CreditGrants.CountAsync(g => g.Status == CreditGrantStatus.Approved));
        Assert.Equal(approvedCount, await harness.QueryAsync(db => db.JournalEntries.CountAsync()));
    }

    [Fact]
    public async Task A_typo_of_extra_zeros_is_refused_outright_and_changes_nothing()
    {
        await using var harness = await StartWithThresholdAsync("100.00");
        var support = await harness.AddPersonAsync("support@example.test", ProjectRole.Support);
        var auditBefore = await harness.QueryAsync(db => db.AuditEntries.CountAsync());

        var typo = await Grant(harness, support, "1,000,000,000,000.00");
        var comma = await Grant(harness, support, "5,50");

        Assert.Equal(UseCaseStatus.Invalid, typo.Status);
        Assert.Contains("largest single grant", typo.Errors["amount"][0], StringComparison.Ordinal);
        Assert.Contains("ambiguous", comma.Errors["amount"][0], StringComparison.Ordinal);
        Assert.Equal(0, await harness.QueryAsync(db => db.CreditGrants.CountAsync()));
        Assert.Equal(auditBefore, await harness.QueryAsync(db => db.AuditEntries.CountAsync()));
    }

    [Fact]
    public async Task A_new_project_needs_approval_only_above_a_sensible_default_and_a_blank_threshold_is_refused()
    {
        await using var harness = await UseCaseHarness.StartAsync();
        var created = await harness.RunAsync<CreateProject, ProjectSettingsInput, ProjectView>(harness.Admin, new("Second", "USD", "UTC", "100.00"));
        var defaults = await harness.RunAsync<CreateProject, ProjectSettingsInput, ProjectView>(harness.Admin, new("Third", "JPY", "UTC", "10000"));
        Assert.Equal(1_000_000, created.Value!.MaxCreditGrant.Minor);
        Assert.Equal(10_000, defaults.Value!.MaxCreditGrant.Minor);
        Assert.Equal(24, created.Value.CreditApprovalWindowHours);

        Assert.True((await harness.RunAsync<UpdateProjectSettings, ProjectSettingsInput, ProjectView>(harness.Admin, new("Demo project", "USD", "UTC", "250"))).Succeeded);
        var auditBefore = await harness.QueryAsync(db => db.AuditEntries.CountAsync());
        var blank = await harness.RunAsync<UpdateProjectSettings, ProjectSettingsInput, ProjectView>(harness.Admin, new("Demo project", "USD", "UTC", " "));
        var unchanged = await harness.RunAsync<UpdateProjectSettings, ProjectSettingsInput, ProjectView>(harness.Admin, new("Demo project", "USD", "UTC", "250.00"));

        Assert.Equal(UseCaseStatus.Invalid, blank.Status);
        Assert.Contains("required", blank.Errors["creditApprovalThreshold"][0], StringComparison.Ordinal);
        Assert.True(unchanged.Succeeded, unchanged.Message);
        Assert.Equal(auditBefore, await harness.QueryAsync(db => db.AuditEntries.CountAsync()));

        var seeded = new Project(Guid.NewGuid(), "Fresh", "fresh", "USD", "UTC", DateTimeOffset.UnixEpoch);
        Assert.Equal(10_000, seeded.CreditApprovalThresholdMinor);
    }

    private static Task<UseCaseResult<CreditGrantView>> Grant(UseCaseHarness harness, Actor actor, string amount, string customer = "cus_acme") =>
        harness.RunAsync<RequestCreditGrant, RequestCreditGrant.Request, CreditGrantView>(actor, new(customer, amount, "USD", "goodwill", "ticket 7", null));

    private static Task<UseCaseResult<CreditGrantView>> Decide(UseCaseHarness harness, Actor actor, Guid grantId, bool approve) =>
        harness.RunAsync<DecideCreditGrant, DecideCreditGrant.Request, CreditGrantView>(actor, new(grantId, approve, "checked"));
}
