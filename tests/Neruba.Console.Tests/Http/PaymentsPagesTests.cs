using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Neruba.Console.Tests.Support;
using Neruba.Domain.Access;
using Neruba.Infrastructure.Payments.CreditPacks;
using Neruba.Infrastructure.Payments.Settings;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Console.Tests.Http;

/// <summary>The payments pages as each role sees them, rendered by the server.</summary>
public sealed class PaymentsPagesTests : IDisposable
{
    private const string Secret = "sk_test_51PagesSecretValue8888";

    private readonly ConsoleAppFactory _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task The_admin_sees_hints_in_password_fields_and_the_webhook_address_never_a_secret()
    {
        var saved = await _app.RunAsAdminAsync<SaveStripeSettings, SaveStripeSettings.Request, StripeSettingsView>(
            new(Secret, "pk_test_pages", "whsec_pages_secret_7777", false, "1,3,7", null));
        Assert.True(saved.Succeeded, saved.Message);
        using var admin = await _app.SignedInMemberAsync("pay-admin@example.test", ProjectRole.Admin);

        var html = await admin.GetStringAsync(new Uri("/settings/payments", UriKind.Relative));

        Assert.Contains("8888 stored; leave empty to keep", html, StringComparison.Ordinal);
        Assert.Contains("7777 stored; leave empty to keep", html, StringComparison.Ordinal);
        Assert.Contains("type=\"password\"", html, StringComparison.Ordinal);
        Assert.Contains("/webhooks/stripe/demo", html, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, html, StringComparison.Ordinal);
        Assert.DoesNotContain("whsec_pages_secret_7777", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Everyone_sees_the_packs_and_that_stripe_is_not_configured_and_only_support_and_up_get_the_checkout_button()
    {
        var pack = await _app.RunAsAdminAsync<CreateCreditPack, CreditPackInput, CreditPackView>(new CreditPackInput("Pages pack", "USD", "10", "12", null, null));
        Assert.True(pack.Succeeded, pack.Message);
        Guid customerId;
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            customerId = (await scope.ServiceProvider.GetRequiredService<NerubaDbContext>().Customers.FirstAsync(c => c.ExternalId == "cus_acme")).Id;
        }

        using var viewer = await _app.SignedInMemberAsync("pay-viewer@example.test", ProjectRole.Viewer);
        using var support = await _app.SignedInMemberAsync("pay-support@example.test", ProjectRole.Support);
        var packs = await viewer.GetStringAsync(new Uri("/credit-packs", UriKind.Relative));
        var asViewer = await viewer.GetStringAsync(new Uri($"/customers/{customerId}?tab=balance", UriKind.Relative));
        var asSupport = await support.GetStringAsync(new Uri($"/customers/{customerId}?tab=balance", UriKind.Relative));
        using var settings = await support.GetAsync(new Uri("/settings/payments", UriKind.Relative));

        Assert.Contains("Pages pack", packs, StringComparison.Ordinal);
        Assert.Contains("stripe-not-configured", packs, StringComparison.Ordinal);
        Assert.Contains("No checkout links yet", packs, StringComparison.Ordinal);
        Assert.DoesNotContain("new-pack", packs, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"checkout-link\"", asViewer, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"checkout-link\"", asSupport, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, settings.StatusCode);
    }

    [Fact]
    public async Task A_buyer_returning_from_stripe_sees_a_plain_page_without_signing_in()
    {
        using var anonymous = _app.CreateBrowserClient();

        using var completed = await anonymous.GetAsync(new Uri("/checkout/completed", UriKind.Relative));
        var cancelled = await anonymous.GetStringAsync(new Uri("/checkout/cancelled", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
        Assert.Contains("Thank you", await completed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("Nothing was charged", cancelled, StringComparison.Ordinal);
    }
}
