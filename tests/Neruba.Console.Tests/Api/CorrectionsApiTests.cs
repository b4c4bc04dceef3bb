using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Neruba.Console.Tests.Support;
using Neruba.Domain.Access;
using Neruba.Domain.Billing;
using Neruba.Infrastructure.Access.Projects;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Billing.Plans;
using Neruba.Infrastructure.Billing.Subscriptions;
using Neruba.Infrastructure.Billing.Runs;
using Neruba.Infrastructure.Persistence;
using static Neruba.Console.Tests.Api.CustomersApiTests;

namespace Neruba.Console.Tests.Api;

/// <summary>Credit notes and voids through the real HTTP pipeline: scope, Idempotency-Key, refusals as problems, project isolation.</summary>
public sealed class CorrectionsApiTests : IDisposable
{
    private readonly ConsoleAppFactory _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task A_credit_note_is_issued_once_per_key_and_a_replay_returns_the_first_answer()
    {
        var invoice = await FinalizedInvoiceAsync();
        using var writer = _app.CreateApiClient(await _app.CreateApiKeyAsync(null, ApiScopes.BillingWrite));
        const string body = """{"lines":[{"lineIndex":0,"amount":10.00}],"flatAmount":1.50,"reasonCode":"billing_error","note":"ticket 7"}""";

        using var first = await PostAsync(writer, $"/api/v1/invoices/{invoice.Number}/credit-notes", "cn-1", body);
        using var replay = await PostAsync(writer, $"/api/v1/invoices/{invoice.Id}/credit-notes", "cn-1", body);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var note = await first.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("CN-000001", note.GetProperty("number").GetString());
        Assert.Equal(1150, note.GetProperty("total").GetProperty("amountMinor").GetInt64());
        Assert.Equal(1150, note.GetProperty("allocation").GetProperty("toDue").GetProperty("amountMinor").GetInt64());
        Assert.Equal(invoice.AmountDue - 1150, note.GetProperty("invoice").GetProperty("amountDue").GetProperty("amountMinor").GetInt64());
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(await first.Content.ReadAsStringAsync(), await replay.Content.ReadAsStringAsync());
        Assert.Equal((1, invoice.AmountDue - 1150), await StateAsync(invoice.Id));
    }

    [Fact]
    public async Task Another_body_under_the_same_key_is_a_conflict_and_issues_nothing()
    {
        var invoice = await FinalizedInvoiceAsync();
        using var writer = _app.CreateApiClient(await _app.CreateApiKeyAsync(null, ApiScopes.BillingWrite));

        using var first = await PostAsync(writer, $"/api/v1/invoices/{invoice.Id}/credit-notes", "k", """{"flatAmount":1.00,"reasonCode":"goodwill"}""");
        using var changed = await PostAsync(writer, $"/api/v1/invoices/{invoice.Id}/credit-notes", "k", """{"flatAmount":2.00,"reasonCode":"goodwill"}""");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var problem = await AssertProblemAsync(changed, HttpStatusCode.Conflict, null);
        Assert.Contains("different request", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal((1, invoice.AmountDue - 100), await StateAsync(invoice.Id));
    }

    [Fact]
    public async Task Crediting_more_than_the_invoice_is_a_problem_naming_the_rule_and_changes_nothing()
    {
        var invoice = await FinalizedInvoiceAsync();
        using var writer = _app.CreateApiClient(await _app.CreateApiKeyAsync(null, ApiScopes.BillingWrite));
        var tooMuch = (invoice.Subtotal + 1) / 100m;

        using var response = await PostAsync(writer, $"/api/v1/invoices/{invoice.Id}/credit-notes", "over",
            $$"""{"flatAmount":{{tooMuch.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)}},"reasonCode":"billing_error"}""");
        using var noKey = await PostJsonAsync(writer, $"/api/v1/invoices/{invoice.Id}/credit-notes", """{"flatAmount":1.00,"reasonCode":"goodwill"}""");
        using var badReason = await PostAsync(writer, $"/api/v1/invoices/{invoice.Id}/credit-notes", "reason", """{"flatAmount":1.00,"reasonCode":"because"}""");

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "total");
        Assert.Contains("more than the invoice's total", problem.GetProperty("errors").GetProperty("total")[0].GetString(), StringComparison.Ordinal);
        await AssertProblemAsync(noKey, HttpStatusCode.BadRequest, "Idempotency-Key");
        await AssertProblemAsync(badReason, HttpStatusCode.BadRequest, "reasonCode");
        Assert.Equal((0, invoice.AmountDue), await StateAsync(invoice.Id));
    }

    [Fact]
    public async Task Corrections_need_the_billing_write_scope_and_never_reach_another_projects_invoice()
    {
        var invoice = await FinalizedInvoiceAsync();
        using var reader = _app.CreateApiClient(await _app.CreateApiKeyAsync(null, ApiScopes.BillingRead, ApiScopes.CreditsWrite));
        var other = await _app.RunAsAdminAsync<CreateProject, ProjectSettingsInput, ProjectView>(new("Other project", "USD", "UTC", "100"));
        using var foreign = _app.CreateApiClient(await _app.CreateApiKeyAsync(other.Value!.Id, ApiScopes.BillingWrite));

        using var wrongScope = await PostAsync(reader, $"/api/v1/invoices/{invoice.Id}/credit-notes", "a", """{"flatAmount":1.00,"reasonCode":"goodwill"}""");
        using var wrongScopeVoid = await PostAsync(reader, $"/api/v1/invoices/{invoice.Id}/void", "b", """{"reason":"test"}""");
        using var foreignCredit = await PostAsync(foreign, $"/api/v1/invoices/{invoice.Id}/credit-notes", "c", """{"flatAmount":1.00,"reasonCode":"goodwill"}""");
        using var foreignVoid = await PostAsync(foreign, $"/api/v1/invoices/{invoice.Number}/void", "d", """{"reason":"test"}""");

        Assert.Equal(HttpStatusCode.Forbidden, wrongScope.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, wrongScopeVoid.StatusCode);
        await AssertProblemAsync(foreignCredit, HttpStatusCode.NotFound, null);
        await AssertProblemAsync(foreignVoid, HttpStatusCode.NotFound, null);
        Assert.Equal((0, invoice.AmountDue), await StateAsync(invoice.Id));
    }

    [Fact]
    public async Task A_void_restores_the_invoice_to_nothing_due_once_and_a_second_void_is_a_conflict()
    {
        var invoice = await FinalizedInvoiceAsync();
        using var writer = _app.CreateApiClient(await _app.CreateApiKeyAsync(null, ApiScopes.BillingWrite));

        using var voided = await PostAsync(writer, $"/api/v1/invoices/{invoice.Id}/void", "void-1", """{"reason":"Wrong plan"}""");
        using var replay = await PostAsync(writer, $"/api/v1/invoices/{invoice.Id}/void", "void-1", """{"reason":"Wrong plan"}""");
        using var again = await PostAsync(writer, $"/api/v1/invoices/{invoice.Id}/void", "void-2", """{"reason":"Wrong plan"}""");
        using var credit = await PostAsync(writer, $"/api/v1/invoices/{invoice.Id}/credit-notes", "cn", """{"flatAmount":1.00,"reasonCode":"goodwill"}""");
        using var noReason = await PostAsync(writer, $"/api/v1/invoices/{invoice.Id}/void", "void-3", "{}");

        Assert.Equal(HttpStatusCode.OK, voided.StatusCode);
        var state = await voided.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("void", state.GetProperty("status").GetString());
        Assert.Equal(0, state.GetProperty("amountDue").GetProperty("amountMinor").GetInt64());
        Assert.Equal(await voided.Content.ReadAsStringAsync(), await replay.Content.ReadAsStringAsync());
        Assert.Contains("already void", (await AssertProblemAsync(again, HttpStatusCode.Conflict, null)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("is void", (await AssertProblemAsync(credit, HttpStatusCode.Conflict, null)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertProblemAsync(noReason, HttpStatusCode.BadRequest, "reason");
        await using var scope = _app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NerubaDbContext>();
        Assert.Equal(InvoiceStatus.Void, (await db.Invoices.SingleAsync(i => i.Id == invoice.Id)).Status);
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == "invoice.voided"));
    }

    /// <summary>Runs last month's final billing for the demo's cus_acme and returns its invoice.</summary>
    internal static async Task<InvoiceRecord> FinalizedInvoiceAsync(ConsoleAppFactory app)
    {
        var lastMonth = BillingCalendar.MonthStartOf(app.Services.GetRequiredService<TimeProvider>().GetUtcNow()).AddMonths(-1);
        var plan = await app.RunAsAdminAsync<SavePlan, SavePlan.Request, PlanView>(
            new("basic", "Basic", "USD", BillingInterval.Monthly, "49.00", FeeTiming.InArrears, [], null, null));
        Assert.True(plan.Succeeded, plan.Message);
        var subscription = await app.RunAsAdminAsync<StartSubscription, StartSubscription.Request, SubscriptionView>(
            new("cus_acme", "basic", DateOnly.FromDateTime(lastMonth.AddMonths(-1).UtcDateTime), null));
        Assert.True(subscription.Succeeded, subscription.Message);
        var run = await app.RunAsAdminAsync<TriggerBillingRun, TriggerBillingRun.Request, BillingRunView>(
            new(DateOnly.FromDateTime(lastMonth.UtcDateTime), "cus_acme", false));
        Assert.True(run.Succeeded, run.Message);
        // The app's job server may pick the run up too; whichever runs it, wait until it has finished.
        var deadline = DateTime.UtcNow.AddSeconds(90);
        InvoiceRecord? invoice = null;
        while (invoice is null)
        {
            await using var scope = app.Services.CreateAsyncScope();
            try
            {
                await scope.ServiceProvider.GetRequiredService<BillingRunJob>().RunAsync(run.Value!.Id, CancellationToken.None);
            }
            catch (DbUpdateConcurrencyException)
            {
                // The job server's worker got there first.
            }

            var db = scope.ServiceProvider.GetRequiredService<NerubaDbContext>();
            var status = await db.BillingRuns.AsNoTracking().Where(r => r.Id == run.Value!.Id).Select(r => r.Status).SingleAsync();
            invoice = status == BillingRunStatus.Succeeded ? await db.Invoices.AsNoTracking().SingleAsync(i => i.RunId == run.Value!.Id) : null;
            Assert.True(invoice is not null || DateTime.UtcNow < deadline, $"The billing run is still {status}.");
            await Task.Delay(invoice is null ? 200 : 0);
        }

        Assert.True(invoice.AmountDue > 1500, $"expected something due on {invoice.Number}");
        return invoice;
    }

    private Task<InvoiceRecord> FinalizedInvoiceAsync() => FinalizedInvoiceAsync(_app);

    private async Task<(int CreditNotes, long AmountDue)> StateAsync(Guid invoiceId)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NerubaDbContext>();
        return (await db.CreditNotes.CountAsync(n => n.InvoiceId == invoiceId), (await db.Invoices.AsNoTracking().SingleAsync(i => i.Id == invoiceId)).AmountDue);
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, string key, string json) =>
        SendJsonAsync(client, HttpMethod.Post, path, json, key);
}
