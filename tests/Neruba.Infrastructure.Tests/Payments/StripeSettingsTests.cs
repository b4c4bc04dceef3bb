using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Infrastructure.Payments.Settings;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Tests.Payments;

public class StripeSettingsTests
{
    private const string Secret = "sk_test_51NerubaSecretValue9999";

    private static Task<UseCaseResult<StripeSettingsView>> SaveAsync(PaymentsScenario s, SaveStripeSettings.Request request, Actor? actor = null) =>
        s.Harness.RunAsync<SaveStripeSettings, SaveStripeSettings.Request, StripeSettingsView>(actor ?? s.Harness.Admin, request);

    [Theory]
    [InlineData("pk_test_123", "pk_test_1", "whsec_1", "1,3,7", "secretKey")]
    [InlineData("sk_test_123", "sk_test_1", "whsec_1", "1,3,7", "publishableKey")]
    [InlineData("sk_test_123", "pk_test_1", "secret", "1,3,7", "webhookSecret")]
    [InlineData("sk_test_123", "pk_test_1", "whsec_1", "3,1", "retryScheduleDays")]
    [InlineData("sk_test_123", "pk_test_1", "whsec_1", "1,2,3,4,5,6,7", "retryScheduleDays")]
    [InlineData("sk_test_123", "pk_test_1", "whsec_1", "0,61", "retryScheduleDays")]
    [InlineData("sk_test_123", "pk_test_1", "whsec_1", "1.5", "retryScheduleDays")]
    [InlineData("sk_test_123", "pk_live_1", "whsec_1", "1,3,7", "publishableKey")]
    public async Task Keys_of_the_wrong_shape_mixed_modes_and_bad_retry_schedules_are_refused_in_words(string secret, string publishable, string webhook,
        string retry, string field)
    {
        await using var s = await PaymentsScenario.StartAsync();
        await s.AssertRefusedAsync(await SaveAsync(s, new(secret, publishable, webhook, false, retry, null)), field, db => db.StripeAccounts.AnyAsync());
    }

    [Fact]
    public async Task Secrets_are_stored_encrypted_shown_as_hints_and_never_written_to_the_audit()
    {
        await using var s = await PaymentsScenario.StartAsync();
        var saved = (await SaveAsync(s, new(Secret, "pk_test_pub", PaymentsScenario.WebhookSecret, true, "2, 5", null))).Value!;

        Assert.True(saved.IsConfigured);
        Assert.Equal("test", saved.Mode);
        Assert.Equal("sk_test_…9999", saved.SecretKeyHint);
        Assert.Equal("2,5", saved.RetryScheduleDays);
        Assert.Equal("/webhooks/stripe/" + await s.Harness.QueryAsync(db => db.Projects.Select(p => p.Slug).SingleAsync()), saved.WebhookPath);
        var raw = await s.Harness.QueryAsync(db => db.Database
            .SqlQueryRaw<string>("SELECT SecretKeyProtected || '|' || WebhookSecretProtected AS Value FROM StripeAccounts").ToListAsync());
        Assert.DoesNotContain(Secret, raw.Single(), StringComparison.Ordinal);
        Assert.DoesNotContain(PaymentsScenario.WebhookSecret, raw.Single(), StringComparison.Ordinal);
        var audit = await s.Harness.QueryAsync(db => db.AuditEntries.Where(a => a.Action == "stripe.settings_saved").ToListAsync());
        Assert.Single(audit);
        Assert.DoesNotContain(Secret, audit[0].After, StringComparison.Ordinal);
        Assert.DoesNotContain(PaymentsScenario.WebhookSecret, audit[0].After, StringComparison.Ordinal);
        Assert.Contains("9999", audit[0].After, StringComparison.Ordinal);
        Assert.DoesNotContain(s.Harness.Logs.Lines, l => l.Message.Contains(Secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_empty_secret_field_keeps_the_stored_secret_and_a_stale_form_is_refused()
    {
        await using var s = await PaymentsScenario.StartAsync();
        var first = (await SaveAsync(s, new(Secret, "", PaymentsScenario.WebhookSecret, false, "1,3,7", null))).Value!;
        var second = (await SaveAsync(s, new("", "pk_test_later", null, true, "", first.Version))).Value!;
        var stale = await SaveAsync(s, new("", "", null, false, "1", first.Version));
        var mixed = await SaveAsync(s, new(null, "pk_live_x", null, false, "1", second.Version));

        Assert.Equal("sk_test_…9999", second.SecretKeyHint);
        Assert.True(second.IsConfigured);
        Assert.True(second.AutoCollect);
        Assert.Equal("", second.RetryScheduleDays);
        Assert.Equal(UseCaseStatus.Conflict, stale.Status);
        Assert.Equal(UseCaseStatus.Invalid, mixed.Status);
        Assert.Contains("same mode", mixed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_first_save_needs_both_secrets()
    {
        await using var s = await PaymentsScenario.StartAsync();
        var result = await SaveAsync(s, new(null, null, null, false, "1,3,7", null));

        Assert.Equal(UseCaseStatus.Invalid, result.Status);
        Assert.True(result.Errors.ContainsKey("secretKey"));
        Assert.True(result.Errors.ContainsKey("webhookSecret"));
    }

    [Fact]
    public async Task Only_an_admin_reads_saves_tests_or_removes_the_stripe_settings()
    {
        await using var s = await PaymentsScenario.StartAsync();
        var finance = await s.Harness.AddPersonAsync("finance@example.test", ProjectRole.Finance);
        var support = await s.Harness.AddPersonAsync("support@example.test", ProjectRole.Support);

        Assert.Equal(UseCaseStatus.Forbidden, (await SaveAsync(s, new(Secret, null, PaymentsScenario.WebhookSecret, false, "1", null), support)).Status);
        Assert.Equal(UseCaseStatus.Forbidden, (await SaveAsync(s, new(Secret, null, PaymentsScenario.WebhookSecret, false, "1", null), finance)).Status);
        Assert.Equal(UseCaseStatus.Forbidden,
            (await s.Harness.RunAsync<GetStripeSettings, GetStripeSettings.Request, StripeSettingsView>(finance, new())).Status);
        Assert.Equal(UseCaseStatus.Forbidden,
            (await s.Harness.RunAsync<TestStripeConnection, TestStripeConnection.Request, StripeTestResult>(support, new(null))).Status);
        Assert.Equal(UseCaseStatus.Forbidden,
            (await s.Harness.RunAsync<RemoveStripeSettings, RemoveStripeSettings.Request, StripeSettingsView>(finance, new("x"))).Status);
        Assert.False(await s.Harness.QueryAsync(db => db.StripeAccounts.AnyAsync()));
    }

    [Fact]
    public async Task Removing_the_keys_needs_a_reason_and_is_audited_with_hints()
    {
        await using var s = await PaymentsScenario.StartAsync();
        await s.ConfigureAsync(Secret);
        var noReason = await s.Harness.RunAsync<RemoveStripeSettings, RemoveStripeSettings.Request, StripeSettingsView>(s.Harness.Admin, new(" "));
        var removed = await s.Harness.ValueAsync<RemoveStripeSettings, RemoveStripeSettings.Request, StripeSettingsView>(new("Rotating to a new account"));

        Assert.Equal(UseCaseStatus.Invalid, noReason.Status);
        Assert.False(removed.IsConfigured);
        Assert.False(await s.Harness.QueryAsync(db => db.StripeAccounts.AnyAsync()));
        var audit = await s.Harness.QueryAsync(db => db.AuditEntries.SingleAsync(a => a.Action == "stripe.settings_removed"));
        Assert.Equal("Rotating to a new account", audit.Reason);
        Assert.DoesNotContain(Secret, audit.Before, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Switching_between_test_and_live_keys_clears_the_customer_links_of_the_other_mode()
    {
        await using var s = await PaymentsScenario.StartAsync();
        var first = (await SaveAsync(s, new(Secret, "pk_test_pub", PaymentsScenario.WebhookSecret, false, "1,3,7", null))).Value!;
        var customerId = await s.Harness.QueryAsync(db => db.Customers.Select(c => c.Id).FirstAsync());
        await s.Harness.QueryAsync(async db =>
        {
            db.StripeCustomers.Add(new Infrastructure.Payments.StripeCustomerRecord
            {
                Id = Guid.NewGuid(), ProjectId = s.Harness.ProjectId, CustomerId = customerId, StripeCustomerId = "cus_testmode", CreatedAt = s.Harness.Clock.GetUtcNow(),
            });
            return await db.SaveChangesAsync();
        });
        var sameMode = (await SaveAsync(s, new("sk_test_51AnotherTestKey0000", "pk_test_pub", null, false, "1,3,7", first.Version))).Value!;
        Assert.Equal(1, await s.Harness.QueryAsync(db => db.StripeCustomers.CountAsync()));

        var live = await SaveAsync(s, new("sk_live_51NerubaLiveKey1234", "pk_live_pub", null, false, "1,3,7", sameMode.Version));

        Assert.True(live.Succeeded, live.Message);
        Assert.Equal(0, await s.Harness.QueryAsync(db => db.StripeCustomers.CountAsync()));
        var audit = await s.Harness.QueryAsync(db => db.AuditEntries.Where(a => a.Action == "stripe.settings_saved").OrderBy(a => a.At).ToListAsync());
        Assert.Contains("1 customer link", audit[^1].Reason, StringComparison.Ordinal);
    }
}
