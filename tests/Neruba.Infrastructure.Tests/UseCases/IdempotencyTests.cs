using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Neruba.Domain.Access;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Credits;
using Neruba.Infrastructure.Tests.Support;
using Neruba.Infrastructure.UseCases;
using Neruba.Infrastructure.UseCases.Idempotency;
using static Neruba.Infrastructure.Tests.Ledger.CreditGrantTests;

namespace Neruba.Infrastructure.Tests.UseCases;

/// <summary>Retries that must post once: the same customer named two ways, a failed attempt, a dead process, a stale key.</summary>
public class IdempotencyTests
{
    private static RequestCreditGrant.Request GrantTo(string customer, string amount = "5") => new(customer, amount, "USD", "goodwill", "ticket 1", null);

    [Fact]
    public async Task The_same_key_for_the_same_customer_by_external_id_and_by_neruba_id_posts_once()
    {
        await using var harness = await StartWithThresholdAsync("100");
        var customerId = await harness.QueryAsync(db => db.Customers.Where(c => c.ExternalId == "cus_acme").Select(c => c.Id).SingleAsync());

        var first = await harness.RunIdempotentAsync<RequestCreditGrant, RequestCreditGrant.Request, CreditGrantView>(harness.Admin, GrantTo("cus_acme"), "k1");
        var second = await harness.RunIdempotentAsync<RequestCreditGrant, RequestCreditGrant.Request, CreditGrantView>(harness.Admin,
            GrantTo(customerId.ToString()), "k1");

        Assert.False(first.Replayed);
        Assert.True(second.Replayed);
        Assert.Equal(first.Response, second.Response);
        Assert.Equal(1, await harness.QueryAsync(db => db.CreditGrants.CountAsync()));
        Assert.Equal(1, await harness.QueryAsync(db => db.JournalEntries.CountAsync()));
    }

    [Fact]
    public async Task The_same_key_for_another_customer_or_amount_is_refused_not_run()
    {
        await using var harness = await StartWithThresholdAsync("100");
        await harness.RunIdempotentAsync<RequestCreditGrant, RequestCreditGrant.Request, CreditGrantView>(harness.Admin, GrantTo("cus_acme"), "k1");

        var otherCustomer = await harness.RunIdempotentAsync<RequestCreditGrant, RequestCreditGrant.Request, CreditGrantView>(harness.Admin,
            GrantTo("cus_initech"), "k1");
        var otherAmount = await harness.RunIdempotentAsync<RequestCreditGrant, RequestCreditGrant.Request, CreditGrantView>(harness.Admin,
            GrantTo("cus_acme", "6"), "k1");

        Assert.Equal(UseCaseStatus.Conflict, otherCustomer.Result.Status);
        Assert.Equal(UseCaseStatus.Conflict, otherAmount.Result.Status);
        Assert.Contains("different request", otherAmount.Result.Message, StringComparison.Ordinal);
        Assert.Equal(1, await harness.QueryAsync(db => db.CreditGrants.CountAsync()));
    }

    [Fact]
    public async Task A_key_whose_work_threw_is_released_and_the_retry_runs()
    {
        await using var harness = await StartWithThresholdAsync("100");

        await Assert.ThrowsAsync<InvalidOperationException>(() => harness.RunIdempotentAsync(new GrantThatThrows(), harness.Admin, GrantTo("cus_acme"), "k1"));
        var retry = await harness.RunIdempotentAsync<RequestCreditGrant, RequestCreditGrant.Request, CreditGrantView>(harness.Admin, GrantTo("cus_acme"), "k1");

        Assert.True(retry.Result.Succeeded, retry.Result.Message);
        Assert.False(retry.Replayed);
        Assert.Equal(1, await harness.QueryAsync(db => db.CreditGrants.CountAsync()));
    }

    [Fact]
    public async Task A_key_whose_request_was_refused_can_be_corrected_and_sent_again()
    {
        await using var harness = await StartWithThresholdAsync("100");

        var typo = await harness.RunIdempotentAsync<RequestCreditGrant, RequestCreditGrant.Request, CreditGrantView>(harness.Admin,
            GrantTo("cus_acme", "99999999"), "k1");
        var corrected = await harness.RunIdempotentAsync<RequestCreditGrant, RequestCreditGrant.Request, CreditGrantView>(harness.Admin,
            GrantTo("cus_acme", "99"), "k1");

        Assert.Equal(UseCaseStatus.Invalid, typo.Result.Status);
        Assert.True(corrected.Result.Succeeded, corrected.Result.Message);
    }

    [Fact]
    public async Task A_claim_left_by_a_dead_process_blocks_retries_until_its_lease_ends_then_the_retry_runs_once()
    {
        await using var harness = await StartWithThresholdAsync("100");
        var customerId = await harness.QueryAsync(db => db.Customers.Where(c => c.ExternalId == "cus_acme").Select(c => c.Id).SingleAsync());
        var claims = harness.Services.GetRequiredService<IdempotencyClaims>();
        var scope = new IdempotencyScope(customerId.ToString(), GrantTo("cus_acme") with { Customer = null, Amount = "5.00" });

        // The process claimed the key and died before its work committed.
        Assert.IsType<IdempotencyClaims.Claimed>(await claims.ClaimAsync(harness.ProjectId, nameof(RequestCreditGrant), "k1", scope, CancellationToken.None));

        var tooSoon = await harness.RunIdempotentAsync<RequestCreditGrant, RequestCreditGrant.Request, CreditGrantView>(harness.Admin, GrantTo("cus_acme"), "k1");
        Assert.Equal(UseCaseStatus.Conflict, tooSoon.Result.Status);
        Assert.Contains("still being processed", tooSoon.Result.Message, StringComparison.Ordinal);

        harness.Clock.Advance(IdempotencyClaims.Lease + TimeSpan.FromSeconds(1));
        var afterLease = await harness.RunIdempotentAsync<RequestCreditGrant, RequestCreditGrant.Request, CreditGrantView>(harness.Admin, GrantTo("cus_acme"), "k1");
        var replay = await harness.RunIdempotentAsync<RequestCreditGrant, RequestCreditGrant.Request, CreditGrantView>(harness.Admin, GrantTo("cus_acme"), "k1");

        Assert.True(afterLease.Result.Succeeded, afterLease.Result.Message);
        Assert.True(replay.Replayed);
        Assert.Equal(1, await harness.QueryAsync(db => db.CreditGrants.CountAsync()));
    }

    [Fact]
    public async Task Concurrent_copies_of_one_request_post_once()
    {
        await using var harness = await StartWithThresholdAsync("100");

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            harness.RunIdempotentAsync<RequestCreditGrant, RequestCreditGrant.Request, CreditGrantView>(harness.Admin, GrantTo("cus_acme"), "k1"))));

        Assert.Contains(results, r => r.Result.Succeeded && !r.Replayed);
        Assert.All(results, r => Assert.True(r.Result.Succeeded || r.Result.Message!.Contains("still being processed", StringComparison.Ordinal), r.Result.Message));
        Assert.Equal(1, await harness.QueryAsync(db => db.CreditGrants.CountAsync()));
    }

    [Fact]
    public async Task Stored_responses_are_kept_a_day_and_then_pruned()
    {
        await using var harness = await StartWithThresholdAsync("100");
        await harness.RunIdempotentAsync<RequestCreditGrant, RequestCreditGrant.Request, CreditGrantView>(harness.Admin, GrantTo("cus_acme"), "k1");
        var claims = harness.Services.GetRequiredService<IdempotencyClaims>();

        harness.Clock.Advance(TimeSpan.FromHours(23));
        Assert.Equal(0, await claims.PruneAsync(CancellationToken.None));
        Assert.True((await harness.RunIdempotentAsync<RequestCreditGrant, RequestCreditGrant.Request, CreditGrantView>(harness.Admin,
            GrantTo("cus_acme"), "k1")).Replayed);

        harness.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(1, await claims.PruneAsync(CancellationToken.None));
        Assert.Equal(0, await harness.QueryAsync(db => db.IdempotencyRecords.CountAsync()));
    }

    [Fact]
    public async Task A_use_case_that_changes_money_without_an_audit_record_fails_its_commit()
    {
        await using var harness = await StartWithThresholdAsync("100");
        var before = await harness.QueryAsync(db => db.AuditEntries.CountAsync());

        var failure = await Assert.ThrowsAsync<UnauditedChangeException>(() => harness.RunAsync(new SilentThresholdChange(), harness.Admin, 0L));

        Assert.Contains("changed Project without an audit record", failure.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(SilentThresholdChange), failure.Message, StringComparison.Ordinal);
        Assert.Equal(10_000, await harness.QueryAsync(db => db.Projects.Where(p => p.Id == harness.ProjectId).Select(p => p.CreditApprovalThresholdMinor).SingleAsync()));
        Assert.Equal(before, await harness.QueryAsync(db => db.AuditEntries.CountAsync()));
    }

    [Fact]
    public async Task A_database_error_that_is_not_a_race_is_reported_as_a_failure_with_its_reference_not_as_try_again()
    {
        await using var harness = await StartWithThresholdAsync("100");

        var result = await harness.RunAsync(new MembershipOfNoProject(), harness.Admin, 0);

        Assert.Equal(UseCaseStatus.Failed, result.Status);
        Assert.Contains("database error", result.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("try again", result.Message, StringComparison.Ordinal);
        Assert.Equal(1, await harness.QueryAsync(db => db.ProjectMemberships.CountAsync()));
    }

    /// <summary>A broken use case: adds a membership in a project that does not exist (a foreign-key error, not a race).</summary>
    private sealed class MembershipOfNoProject : UseCase<int, bool>
    {
        public override AccessRule Access { get; } = new(Permission.ManageProject);

        public override Task<UseCaseResult<bool>> HandleAsync(UseCaseContext context, int request, CancellationToken cancellationToken)
        {
            context.Db.ProjectMemberships.Add(new ProjectMembership(Guid.NewGuid(), Guid.NewGuid(), context.Actor.Id, ProjectRole.Viewer, context.Now));
            context.Audit("member.added", "project", null, null, null);
            return Task.FromResult(UseCaseResult<bool>.Ok(true));
        }
    }

    /// <summary>A grant whose work blows up after the key was claimed, as a bug or a dropped connection would.</summary>
    private sealed class GrantThatThrows : UseCase<RequestCreditGrant.Request, CreditGrantView>, IIdempotentUseCase<RequestCreditGrant.Request>
    {
        private readonly RequestCreditGrant _real = new();

        public override AccessRule Access => _real.Access;

        // Named like the real use case, so its key is the same operation's key.
        public override string Name => nameof(RequestCreditGrant);

        public Task<IdempotencyScope?> ResolveIdempotencyScopeAsync(UseCaseContext context, RequestCreditGrant.Request request, CancellationToken cancellationToken) =>
            _real.ResolveIdempotencyScopeAsync(context, request, cancellationToken);

        public override Task<UseCaseResult<CreditGrantView>> HandleAsync(UseCaseContext context, RequestCreditGrant.Request request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("connection dropped");
    }

    /// <summary>A careless new use case: changes the approval threshold and forgets the audit record.</summary>
    private sealed class SilentThresholdChange : UseCase<long, bool>
    {
        public override AccessRule Access { get; } = new(Permission.ManageProject);

        public override async Task<UseCaseResult<bool>> HandleAsync(UseCaseContext context, long request, CancellationToken cancellationToken)
        {
            var project = await context.Db.Projects.SingleAsync(p => p.Id == context.ProjectId, cancellationToken);
            project.ChangeSettings(project.Name, project.DefaultCurrency, project.TimeZone, request);
            return UseCaseResult<bool>.Ok(true);
        }
    }
}
