using System.Net;
using System.Text.Json;
using Neruba.Console.Tests.Support;
using Neruba.Domain.Access;
using static Neruba.Console.Tests.Api.CustomersApiTests;

namespace Neruba.Console.Tests.Api;

/// <summary>Plans, subscriptions and invoices over real HTTP through the app's pipeline.</summary>
public sealed class BillingApiTests : IAsyncLifetime, IDisposable
{
    private readonly ConsoleAppFactory _app = new();
    private HttpClient _setup = default!;
    private HttpClient _reader = default!;

    public async Task InitializeAsync()
    {
        _setup = _app.CreateApiClient(await _app.CreateApiKeyAsync(null, ApiScopes.SetupWrite));
        _reader = _app.CreateApiClient(await _app.CreateApiKeyAsync(null, ApiScopes.BillingRead));
        using var metric = await SendJsonAsync(_setup, HttpMethod.Put, "/api/v1/metrics/api_calls", """{"name":"API calls","aggregation":"count"}""");
        Assert.Equal(HttpStatusCode.OK, metric.StatusCode);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _setup.Dispose();
        _reader.Dispose();
        _app.Dispose();
    }

    private const string ProPlan = """
        {"name":"Pro","currency":"USD","interval":"monthly","baseFee":49.00,"feeTiming":"inArrears",
         "charges":[{"metricCode":"api_calls","model":"graduated","unitPrice":0,"tiers":[{"upTo":1000,"unitPrice":0.01},{"upTo":null,"unitPrice":0.005}],"packageSize":0,"includedQuantity":100}],
         "prepaidCredit":5}
        """;

    [Fact]
    public async Task A_plan_is_created_then_versioned_once_a_subscription_uses_it()
    {
        using var created = await SendJsonAsync(_setup, HttpMethod.Put, "/api/v1/plans/pro", ProPlan);
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        using var started = await SendJsonAsync(_setup, HttpMethod.Post, "/api/v1/customers/cus_acme/subscriptions",
            $$"""{"plan":"pro","startsOn":"{{DateTime.UtcNow:yyyy-MM-dd}}"}""");
        Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        using var edited = await SendJsonAsync(_setup, HttpMethod.Put, "/api/v1/plans/pro", ProPlan.Replace("49.00", "59.00", StringComparison.Ordinal));

        var plan = JsonDocument.Parse(await edited.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(2, plan.GetProperty("current").GetProperty("number").GetInt32());
        Assert.Equal(5900, plan.GetProperty("current").GetProperty("terms").GetProperty("baseFee").GetInt64());
        var subscriptions = JsonDocument.Parse(await _reader.GetStringAsync(new Uri("/api/v1/customers/cus_acme/subscriptions", UriKind.Relative))).RootElement;
        Assert.Equal(1, subscriptions[0].GetProperty("phases")[0].GetProperty("versionNumber").GetInt32());
    }

    [Fact]
    public async Task Starting_a_subscription_twice_under_one_idempotency_key_starts_it_once()
    {
        using var created = await SendJsonAsync(_setup, HttpMethod.Put, "/api/v1/plans/pro", ProPlan);
        var customerId = JsonDocument.Parse(await _reader.GetStringAsync(new Uri("/api/v1/customers/cus_acme", UriKind.Relative))).RootElement
            .GetProperty("id").GetString();
        var body = $$"""{"plan":"pro","startsOn":"{{DateTime.UtcNow:yyyy-MM-dd}}"}""";

        using var first = await SendOnceAsync($"/api/v1/customers/cus_acme/subscriptions", body, "start-acme");
        using var retried = await SendOnceAsync($"/api/v1/customers/{customerId}/subscriptions", body, "start-acme");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal("true", retried.Headers.GetValues("Idempotent-Replayed").Single());
        var subscriptions = JsonDocument.Parse(await _reader.GetStringAsync(new Uri("/api/v1/customers/cus_acme/subscriptions", UriKind.Relative))).RootElement;
        Assert.Equal(1, subscriptions.GetArrayLength());
    }

    private async Task<HttpResponseMessage> SendOnceAsync(string path, string json, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative))
        {
            Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", key);
        return await _setup.SendAsync(request);
    }

    [Theory]
    [InlineData("""{"name":"Pro","currency":"USD","interval":"monthly","baseFee":49.999,"feeTiming":"inArrears"}""", "baseFee")]
    [InlineData("""{"name":"Pro","currency":"XXX","interval":"monthly","baseFee":1,"feeTiming":"inArrears"}""", "currency")]
    [InlineData("""{"name":"Pro","currency":"USD","interval":"weekly","baseFee":1,"feeTiming":"inArrears"}""", null)]
    [InlineData("""{"name":"Pro","currency":"USD","interval":"monthly","baseFee":1,"feeTiming":"inArrears","charges":[{"metricCode":"nope","model":"perUnit","unitPrice":1,"tiers":[],"packageSize":0,"includedQuantity":0}]}""", "charges")]
    public async Task Bad_plans_get_problem_details_and_store_nothing(string body, string? field)
    {
        using var response = await SendJsonAsync(_setup, HttpMethod.Put, "/api/v1/plans/pro", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        if (field is not null)
        {
            var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"expected an error for {field}");
        }

        var plans = JsonDocument.Parse(await _reader.GetStringAsync(new Uri("/api/v1/plans", UriKind.Relative))).RootElement;
        Assert.Equal(0, plans.GetArrayLength());
    }

    [Fact]
    public async Task Invoices_are_listed_with_filters_and_a_bad_month_is_a_problem()
    {
        var list = JsonDocument.Parse(await _reader.GetStringAsync(new Uri("/api/v1/invoices?status=finalized&month=2026-10", UriKind.Relative))).RootElement;
        Assert.Equal(0, list.GetProperty("total").GetInt32());

        using var bad = await _reader.GetAsync(new Uri("/api/v1/invoices?month=October", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using var missing = await _reader.GetAsync(new Uri("/api/v1/invoices/INV-999999", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
