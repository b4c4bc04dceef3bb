using System.Net;
using System.Globalization;
using Neruba.Console.Access;
using Neruba.Console.Api;
using Neruba.Console.Tests.Support;
using Neruba.Domain.Access;
using static Neruba.Console.Tests.Api.CustomersApiTests;

namespace Neruba.Console.Tests.Api;

/// <summary>Refused API requests are limited per key prefix and per address, over real HTTP through the whole pipeline.</summary>
public sealed class ApiRateLimitTests
{
    private const int Limit = ApiFailureLimiter.DefaultMaxFailuresPerWindow;
    private static readonly Uri Customers = new("/api/v1/customers", UriKind.Relative);

    [Fact]
    public async Task Repeated_refusals_with_one_key_are_rate_limited_but_a_valid_key_from_the_same_address_still_works()
    {
        using var app = new ConsoleAppFactory();
        using var wrong = app.CreateApiClient(FakeKey(0));
        for (var i = 0; i < Limit; i++)
        {
            using var refused = await wrong.GetAsync(Customers);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using var limited = await wrong.GetAsync(Customers);
        await AssertProblemAsync(limited, HttpStatusCode.TooManyRequests, null);
        Assert.NotNull(limited.Headers.RetryAfter);

        await AssertValidKeyAnswersAsync(app);
    }

    [Fact]
    public async Task Many_different_fake_keys_from_one_address_are_throttled_while_a_valid_key_from_it_answers_200()
    {
        using var app = new ConsoleAppFactory();
        for (var i = 0; i < Limit; i++)
        {
            using var guess = app.CreateApiClient(FakeKey(i));
            using var refused = await guess.GetAsync(Customers);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using var nextGuess = app.CreateApiClient(FakeKey(Limit));
        using var keyless = app.CreateApiClient(null);
        await AssertProblemAsync(await nextGuess.GetAsync(Customers), HttpStatusCode.TooManyRequests, null);
        await AssertProblemAsync(await keyless.GetAsync(Customers), HttpStatusCode.TooManyRequests, null);

        await AssertValidKeyAnswersAsync(app);
    }

    [Fact]
    public async Task Bad_secrets_sent_with_a_valid_keys_public_prefix_never_lock_that_key_out()
    {
        using var app = new ConsoleAppFactory();
        var secret = await app.CreateApiKeyAsync(null, ApiScopes.BillingRead);
        for (var i = 0; i <= Limit; i++)
        {
            // The prefix is shown to every member (key list, audit log): anyone can forge requests that carry it.
            using var forged = app.CreateApiClient(secret[..12] + new string((char)('A' + (i % 26)), secret.Length - 12));
            using var refused = await forged.GetAsync(Customers);
            Assert.True(refused.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.TooManyRequests, refused.StatusCode.ToString());
        }

        using var good = app.CreateApiClient(secret);
        using var answered = await good.GetAsync(Customers);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
    }

    [Fact]
    public async Task A_spoofed_forwarded_address_does_not_change_the_partition_without_a_configured_proxy()
    {
        using var app = new ConsoleAppFactory();
        using var client = app.CreateApiClient(null);
        await ExhaustKeylessAsync(client, "203.0.113.1");

        using var spoofed = await GetFromAsync(client, "203.0.113.2");

        await AssertProblemAsync(spoofed, HttpStatusCode.TooManyRequests, null);
    }

    [Fact]
    public async Task The_forwarded_address_of_a_configured_proxy_is_the_partition()
    {
        using var app = new ConsoleAppFactory(settings: new Dictionary<string, string> { [TrustedProxies.SettingKey + ":0"] = "127.0.0.1" });
        using var client = app.CreateApiClient(null);
        await ExhaustKeylessAsync(client, "203.0.113.1");

        using var sameClient = await GetFromAsync(client, "203.0.113.1");
        using var otherClient = await GetFromAsync(client, "203.0.113.2");

        await AssertProblemAsync(sameClient, HttpStatusCode.TooManyRequests, null);
        await AssertProblemAsync(otherClient, HttpStatusCode.Unauthorized, null);
    }

    private static async Task AssertValidKeyAnswersAsync(ConsoleAppFactory app)
    {
        using var good = app.CreateApiClient(await app.CreateApiKeyAsync(null, ApiScopes.BillingRead));
        using var answered = await good.GetAsync(Customers);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
    }

    // Well-formed (right marker, length and alphabet) but unknown keys, each with its own public prefix.
    private static string FakeKey(int n) => "nrb_" + n.ToString("D8", CultureInfo.InvariantCulture) + new string('C', 32);

    private static async Task ExhaustKeylessAsync(HttpClient client, string forwardedFor)
    {
        for (var i = 0; i < Limit; i++)
        {
            using var refused = await GetFromAsync(client, forwardedFor);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }
    }

    private static async Task<HttpResponseMessage> GetFromAsync(HttpClient client, string forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Customers);
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return await client.SendAsync(request);
    }
}
