using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Neruba.Console.Tests.Support;
using Neruba.Domain.Access;
using static Neruba.Console.Tests.Api.CustomersApiTests;

namespace Neruba.Console.Tests.Disputes;

/// <summary><c>GET /api/v1/disputes</c>: billing:read, this project's disputes only, soonest due first, filtered by status and reason.</summary>
public sealed class DisputesApiTests : IDisposable
{
    private readonly ConsoleAppFactory _app = new();

    public void Dispose() => _app.Dispose();

    private static async Task<List<JsonElement>> ItemsAsync(HttpClient client, string query)
    {
        using var response = await client.GetAsync(new Uri("/api/v1/disputes" + query, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.Content.ReadFromJsonAsync<JsonElement>();
        return [.. page.GetProperty("items").EnumerateArray()];
    }

    [Fact]
    public async Task The_list_is_this_projects_disputes_soonest_due_first_with_amounts_words_and_links()
    {
        var seed = await ConsoleDisputeSeed.SeedAsync(_app);
        using var reader = _app.CreateApiClient(await _app.CreateApiKeyAsync(null, ApiScopes.BillingRead));

        var open = await ItemsAsync(reader, "");
        var all = await ItemsAsync(reader, "?status=all&pageSize=2&page=1");

        Assert.Equal(["dp_overdue", "dp_review", "dp_soon"], open.Select(d => d.GetProperty("stripeId").GetString()));
        var first = open[0];
        Assert.Equal(seed.Overdue, first.GetProperty("id").GetGuid());
        Assert.Equal("needs_response", first.GetProperty("status").GetString());
        Assert.Equal("fraudulent", first.GetProperty("reason").GetString());
        Assert.Equal(5394, first.GetProperty("amount").GetProperty("amountMinor").GetInt64());
        Assert.Equal("USD", first.GetProperty("amount").GetProperty("currency").GetString());
        Assert.True(first.GetProperty("overdue").GetBoolean());
        Assert.Equal(seed.Invoice.Id, first.GetProperty("invoiceId").GetGuid());
        Assert.Equal("INV-000077", first.GetProperty("invoiceNumber").GetString());
        Assert.Equal(seed.Invoice.CustomerId, first.GetProperty("customerId").GetGuid());
        Assert.NotEqual(JsonValueKind.Null, open[1].GetProperty("submittedAt").ValueKind);
        Assert.Equal(["dp_soon", "dp_won"], all.Select(d => d.GetProperty("stripeId").GetString()));
    }

    [Fact]
    public async Task Filters_narrow_the_list_and_a_bad_filter_is_a_problem_naming_it()
    {
        await ConsoleDisputeSeed.SeedAsync(_app);
        using var reader = _app.CreateApiClient(await _app.CreateApiKeyAsync(null, ApiScopes.BillingRead));

        Assert.Equal(["dp_overdue", "dp_soon"], (await ItemsAsync(reader, "?status=needs_response")).Select(d => d.GetProperty("stripeId").GetString()));
        Assert.Equal(["dp_won"], (await ItemsAsync(reader, "?status=won")).Select(d => d.GetProperty("stripeId").GetString()));
        Assert.Equal(["dp_soon"], (await ItemsAsync(reader, "?status=all&reason=product_not_received")).Select(d => d.GetProperty("stripeId").GetString()));

        using var badStatus = await reader.GetAsync(new Uri("/api/v1/disputes?status=pending", UriKind.Relative));
        using var badReason = await reader.GetAsync(new Uri("/api/v1/disputes?reason=made_up", UriKind.Relative));
        await AssertProblemAsync(badStatus, HttpStatusCode.BadRequest, "status");
        await AssertProblemAsync(badReason, HttpStatusCode.BadRequest, "reason");
    }

    [Fact]
    public async Task Without_billing_read_or_a_key_the_list_is_refused()
    {
        await ConsoleDisputeSeed.SeedAsync(_app);
        using var other = _app.CreateApiClient(await _app.CreateApiKeyAsync(null, ApiScopes.CreditsRead));
        using var anonymous = _app.CreateApiClient(null);

        using var wrongScope = await other.GetAsync(new Uri("/api/v1/disputes", UriKind.Relative));
        using var noKey = await anonymous.GetAsync(new Uri("/api/v1/disputes", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, wrongScope.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
    }
}

/// <summary>The dispute pages rendered by the server: readable by any member, refused to a stranger, Finance actions only for Finance.</summary>
public sealed class DisputePagesHttpTests : IDisposable
{
    private readonly ConsoleAppFactory _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task A_viewer_reads_the_queue_and_a_dispute_and_Finance_also_gets_the_evidence_actions()
    {
        var seed = await ConsoleDisputeSeed.SeedAsync(_app);
        using var viewer = await _app.SignedInMemberAsync("dsp-viewer@example.test", ProjectRole.Viewer);
        using var finance = await _app.SignedInMemberAsync("dsp-finance@example.test", ProjectRole.Finance);

        var queue = await viewer.GetStringAsync(new Uri("/disputes", UriKind.Relative));
        var asViewer = await viewer.GetStringAsync(new Uri($"/disputes/{seed.Soon}", UriKind.Relative));
        var asFinance = await finance.GetStringAsync(new Uri($"/disputes/{seed.Soon}", UriKind.Relative));
        var other = await finance.GetStringAsync(new Uri($"/disputes/{seed.Other}", UriKind.Relative));

        Assert.Contains("Disputes", queue, StringComparison.Ordinal);
        Assert.DoesNotContain("not available yet", queue, StringComparison.Ordinal);
        Assert.Contains("Product not received", asViewer, StringComparison.Ordinal);
        Assert.DoesNotContain("evidence-submit", asViewer, StringComparison.Ordinal);
        Assert.Contains("evidence-submit", asFinance, StringComparison.Ordinal);
        Assert.Contains("No such dispute in this project.", other, StringComparison.Ordinal);
    }
}
