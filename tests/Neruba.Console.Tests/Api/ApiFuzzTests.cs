using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Neruba.Console.Tests.Support;
using Neruba.Domain.Access;
using Xunit.Abstractions;
using static Neruba.Console.Tests.Api.CreditsApiTests;
using static Neruba.Console.Tests.Api.CustomersApiTests;

namespace Neruba.Console.Tests.Api;

/// <summary>
/// Thousands of generated amounts, numbers, timestamps and broken bodies thrown at the grant, plan and event
/// endpoints: every answer is a success or a 4xx problem, never a 500. Seeds are fixed so a failure reproduces.
/// </summary>
public sealed class ApiFuzzTests(ITestOutputHelper output) : IAsyncLifetime, IDisposable
{
    private const int RequestsPerEndpoint = 600;
    private readonly ConsoleAppFactory _app = new();
    private HttpClient _credits = default!;
    private HttpClient _setup = default!;
    private HttpClient _usage = default!;

    public async Task InitializeAsync()
    {
        _credits = _app.CreateApiClient(await _app.CreateApiKeyAsync(null, ApiScopes.CreditsWrite));
        _setup = _app.CreateApiClient(await _app.CreateApiKeyAsync(null, ApiScopes.SetupWrite));
        _usage = _app.CreateApiClient(await _app.CreateApiKeyAsync(null, ApiScopes.UsageWrite));
        using var metric = await SendJsonAsync(_setup, HttpMethod.Put, "/api/v1/metrics/calls", """{"name":"Calls","aggregation":"sum","property":"n"}""");
        Assert.Equal(HttpStatusCode.OK, metric.StatusCode);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _credits.Dispose();
        _setup.Dispose();
        _usage.Dispose();
        _app.Dispose();
    }

    [Fact]
    public async Task Generated_grant_bodies_never_get_a_500()
    {
        var random = new Random(1001);
        for (var i = 0; i < RequestsPerEndpoint; i++)
        {
            var body = MaybeBroken(random, $$"""{"amount":{{Number(random)}},"currency":{{Currency(random)}},"reasonCode":"goodwill","expiresAt":{{Timestamp(random)}}}""");
            using var response = await GrantAsync(_credits, "fuzz-" + i.ToString(CultureInfo.InvariantCulture), body);
            await AssertAnsweredAsync(response, body);
        }
    }

    [Fact]
    public async Task Generated_plan_bodies_never_get_a_500()
    {
        var random = new Random(2002);
        for (var i = 0; i < RequestsPerEndpoint; i++)
        {
            var body = MaybeBroken(random, $$"""
                {"name":"Fuzz","currency":{{Currency(random)}},"interval":"monthly","baseFee":{{Number(random)}},"feeTiming":"inArrears",
                 "charges":[{"metricCode":"calls","model":"perUnit","unitPrice":{{Number(random)}},"tiers":[],"packageSize":0,"includedQuantity":{{Number(random)}}}],
                 "minimumCommitment":{{Number(random)}},"prepaidCredit":{{Number(random)}}}
                """);
            using var response = await SendJsonAsync(_setup, HttpMethod.Put, "/api/v1/plans/fuzz-" + (i % 7).ToString(CultureInfo.InvariantCulture), body);
            await AssertAnsweredAsync(response, body);
        }
    }

    [Fact]
    public async Task Generated_events_never_get_a_500()
    {
        var random = new Random(3003);
        for (var i = 0; i < RequestsPerEndpoint; i++)
        {
            var body = MaybeBroken(random,
                $$$"""{"events":[{"eventId":{{{Text(random)}}},"customerId":"cus_acme","metric":"calls","occurredAt":{{{Timestamp(random)}}},"properties":{"n":{{{Number(random)}}}}}]}""");
            using var response = await PostJsonAsync(_usage, "/api/v1/events", body);
            await AssertAnsweredAsync(response, body);
        }
    }

    private async Task AssertAnsweredAsync(HttpResponseMessage response, string body)
    {
        var status = (int)response.StatusCode;
        if (status >= 500 || (status >= 400 && response.Content.Headers.ContentType?.MediaType != "application/problem+json"))
        {
            output.WriteLine(body);
            Assert.Fail($"{status} for body {body}: {await response.Content.ReadAsStringAsync()}");
        }

        if (status >= 400)
        {
            var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()), body);
        }
    }

    /// <summary>A JSON value where a number belongs: numbers of every size and shape, and things that are not numbers.</summary>
    private static string Number(Random random) => random.Next(9) switch
    {
        0 => random.Next(-1000, 100_000).ToString(CultureInfo.InvariantCulture),
        1 => Digits(random, random.Next(1, 40)),
        2 => Digits(random, random.Next(1, 30)) + "." + Digits(random, random.Next(1, 30)),
        3 => Digits(random, random.Next(1, 3)) + (random.Next(2) == 0 ? "e" : "E") + (random.Next(2) == 0 ? "-" : "") + random.Next(0, 400),
        4 => "-" + Digits(random, random.Next(1, 35)),
        5 => JsonSerializer.Serialize(Digits(random, 2) + "," + Digits(random, 2)),
        6 => random.Next(3) switch { 0 => "null", 1 => "true", _ => "[]" },
        7 => "0." + new string('0', random.Next(0, 40)) + "1",
        _ => Text(random),
    };

    private static string Digits(Random random, int count)
    {
        var digits = new StringBuilder(count);
        for (var i = 0; i < count; i++)
        {
            digits.Append((char)('0' + random.Next(10)));
        }

        return digits.ToString();
    }

    private static string Currency(Random random) =>
        JsonSerializer.Serialize(new[] { "USD", "JPY", "KWD", "EUR", "usd", "XXX", "", "US\u202ED" }[random.Next(8)]);

    private static string Timestamp(Random random) => JsonSerializer.Serialize(random.Next(8) switch
    {
        0 => "2030-01-01T00:00:00Z",
        1 => "2030-01-01",
        2 => "2030-13-45T25:61:61Z",
        3 => "2030-01-01T00:00:00+25:00",
        4 => "01/02/2030",
        5 => "9999-12-31T23:59:59.9999999-14:00",
        6 => "0001-01-01T00:00:00+14:00",
        _ => "2026-11-24T10:00:00." + Digits(random, random.Next(1, 12)) + "Z",
    });

    /// <summary>A JSON string of random characters, control and direction characters included.</summary>
    private static string Text(Random random)
    {
        var text = new StringBuilder();
        for (var i = random.Next(0, 20); i > 0; i--)
        {
            text.Append(random.Next(6) switch
            {
                0 => (char)random.Next(0, 32),
                1 => "\u202E\u2066\u200F\uFEFF"[random.Next(4)],
                2 => (char)random.Next(0x4E00, 0x4F00),
                _ => (char)random.Next(33, 127),
            });
        }

        return JsonSerializer.Serialize(text.ToString());
    }

    /// <summary>Now and then the body is cut short, doubled or wrapped, as a broken client would send it.</summary>
    private static string MaybeBroken(Random random, string body) => random.Next(10) switch
    {
        0 => body[..random.Next(body.Length)],
        1 => body + body,
        2 => "[" + body + "]",
        _ => body,
    };
}
