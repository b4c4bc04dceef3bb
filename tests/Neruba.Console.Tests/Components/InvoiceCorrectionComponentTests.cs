using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Neruba.Console.Access;
using Neruba.Console.Components.Pages.Invoices;
using Neruba.Console.Tests.Api;
using Neruba.Console.Tests.Support;
using Neruba.Domain.Access;
using Neruba.Domain.Billing.Corrections;
using Neruba.Infrastructure.Access;
using Neruba.Infrastructure.Billing.Corrections;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Console.Tests.Components;

public class InvoiceCorrectionComponentTests : MudTestContext
{
    private static readonly InvoiceCorrections Unpaid = new(Guid.NewGuid(), "INV-000007", Guid.NewGuid(), InvoiceKind.Regular, InvoiceStatus.Finalized, "USD", 5050,
        500, 0, 0, 0, 0, 0, 4550, DateTimeOffset.UnixEpoch, null, null, null, null, null, [], [], [],
        [new CreditableLine(0, "Base fee", 1, 4900, 0, 0), new CreditableLine(1, "api_calls", 150, 150, 0, 0)]);

    [Theory]
    [InlineData(ProjectRole.Viewer, false)]
    [InlineData(ProjectRole.Support, false)]
    [InlineData(ProjectRole.Operator, false)]
    [InlineData(ProjectRole.Finance, true)]
    [InlineData(ProjectRole.Admin, true)]
    public void Only_people_who_manage_money_see_the_correction_actions(ProjectRole role, bool shown)
    {
        var access = new ProjectAccess("user-1", new ProjectMembershipView(Guid.NewGuid(), "Demo", role), []);

        var actions = Render<InvoiceActions>(p => p.Add(a => a.Invoice, Unpaid).AddCascadingValue(access));

        Assert.Equal(shown, actions.FindAll("[data-testid=invoice-actions]").Count == 1);
        Assert.Equal(shown ? 5 : 0, actions.FindAll("button").Count);
    }

    [Fact]
    public void A_void_invoice_offers_no_corrections_and_a_paid_one_only_a_credit_note()
    {
        var access = new ProjectAccess("user-1", new ProjectMembershipView(Guid.NewGuid(), "Demo", ProjectRole.Finance), []);

        var voided = Render<InvoiceActions>(p => p.Add(a => a.Invoice, Unpaid with { Status = InvoiceStatus.Void, AmountDue = 0 }).AddCascadingValue(access));
        var paid = Render<InvoiceActions>(p => p.Add(a => a.Invoice, Unpaid with { Status = InvoiceStatus.Paid, AmountDue = 0, PaidTotal = 4550 })
            .AddCascadingValue(access));

        Assert.Empty(voided.FindAll("button"));
        Assert.Equal(["action-credit-note"], paid.FindAll("button").Select(b => b.GetAttribute("data-testid")));
    }

    [Fact]
    public void The_preview_says_where_the_money_goes_and_the_invoice_after()
    {
        var preview = new CreditNotePreview(Unpaid.Id, Unpaid.Number, "USD", [new CreditNoteLine(null, "Credit", null, 4700, "A flat amount off the invoice's total")],
            4700, new CreditAllocation(4550, 0, 150), 4550, 0, 5050, 350);

        var panel = Render<CreditNotePreviewPanel>(p => p.Add(x => x.Preview, preview).Add(x => x.InvoiceTotal, 5050));

        Assert.Equal("47.00 USD", panel.Find("[data-testid=preview-total]").TextContent);
        Assert.Equal("45.50 USD", panel.Find("[data-testid=preview-to-due]").TextContent);
        Assert.Equal("0.00 USD", panel.Find("[data-testid=preview-refunded]").TextContent);
        Assert.Equal("1.50 USD", panel.Find("[data-testid=preview-to-wallet]").TextContent);
        Assert.Equal("0.00 USD", panel.Find("[data-testid=preview-due-after]").TextContent);
        Assert.Equal("47.00 USD", panel.Find("[data-testid=preview-credited-after]").TextContent);
    }
}

/// <summary>The credit note dialog against a running app: each change asks the server for a preview, a refusal is shown in words.</summary>
public sealed class CreditNoteDialogTests : MudTestContext, IDisposable
{
    private readonly ConsoleAppFactory _app = new();
    private IServiceScope? _scope;

    private IServiceScope AppScope => _scope ??= _app.Services.CreateScope();

    void IDisposable.Dispose()
    {
        _scope?.Dispose();
        _app.Dispose();
    }

    [Fact]
    public async Task Each_change_shows_the_servers_preview_and_a_refusal_in_words()
    {
        var invoice = await CorrectionsApiTests.FinalizedInvoiceAsync(_app);
        var corrections = (await _app.RunAsAdminAsync<GetInvoiceCorrections, GetInvoiceCorrections.Request, InvoiceCorrections>(new(invoice.Id.ToString()))).Value!;
        await SignInAsAdminAsync();
        var provider = Render<MudDialogProvider>();
        var dialogs = Services.GetRequiredService<IDialogService>();
        await provider.InvokeAsync(() => dialogs.ShowAsync<CreditNoteDialog>("Credit note",
            new DialogParameters<CreditNoteDialog> { { d => d.Invoice, corrections } }));

        provider.Find("input[data-testid=line-0-amount]").Change("10.00");
        provider.WaitForAssertion(() => Assert.Equal("10.00 USD", provider.Find("[data-testid=preview-to-due]").TextContent));
        Assert.Equal("0.00 USD", provider.Find("[data-testid=preview-to-wallet]").TextContent);
        Assert.Equal(ShowUsd(invoice.AmountDue - 1000), provider.Find("[data-testid=preview-due-after]").TextContent);

        provider.Find("input[data-testid=credit-note-flat]").Change(((invoice.Subtotal + 100) / 100m).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture));
        provider.WaitForAssertion(() => Assert.Contains("more than the invoice's total", provider.Find("[data-testid=credit-note-refusal]").TextContent,
            StringComparison.Ordinal));
        Assert.Empty(provider.FindAll("[data-testid=credit-note-preview]"));
    }

    private static string ShowUsd(long minor) => (minor / 100m).ToString("#,0.00", System.Globalization.CultureInfo.InvariantCulture) + " USD";

    private async Task SignInAsAdminAsync()
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var admin = await scope.ServiceProvider.GetRequiredService<UserManager<NerubaUser>>().FindByEmailAsync(ConsoleAppFactory.AdminEmail);
        var auth = AddAuthorization();
        auth.SetAuthorized(ConsoleAppFactory.AdminEmail);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, admin!.Id));
        Services.AddSingleton(_app.Services.GetRequiredService<UseCaseRunner>());
        Services.AddSingleton(AppScope.ServiceProvider.GetRequiredService<ProjectAccessService>());
        Services.AddScoped<ProjectInView>();
        Services.AddScoped<ConsoleSession>();
        Services.AddTransient<PreviewCreditNote>();
        Services.AddSingleton(_app.Services.GetRequiredService<Hangfire.IBackgroundJobClient>());
        Services.AddTransient<IssueCreditNote>();
    }
}
