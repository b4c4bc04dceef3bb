using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Neruba.Console.Tests.Support;

namespace Neruba.Console.Tests.Http;

/// <summary>An unhandled error never sends the request's secrets or a stack trace back, in any environment.</summary>
public sealed class ErrorResponseTests
{
    private const string Secret = "nrb_SecretSecretSecretSecretSecretSecret1234";

    [Theory]
    [InlineData("Development", "/api/v1/test-only/throw", "text/html")]
    [InlineData("Development", "/test-only/throw", "application/json")]
    [InlineData("Development", "/test-only/throw", null)]
    [InlineData("Production", "/api/v1/test-only/throw", "application/json")]
    public async Task Api_and_non_browser_requests_get_a_problem_with_a_trace_id_and_nothing_else(string environment, string path, string? accept)
    {
        using var app = new ConsoleAppFactory(environment: environment, testServices: AddThrowingEndpoint);
        using var client = app.CreateBrowserClient();

        using var response = await SendAsync(client, path, accept);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.True("application/problem+json" == response.Content.Headers.ContentType?.MediaType, body[..Math.Min(body.Length, 3000)]);
        using var problem = JsonDocument.Parse(body);
        Assert.Equal(500, problem.RootElement.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.RootElement.GetProperty("traceId").GetString()));
        AssertNothingLeaks(body);
    }

    [Theory]
    [InlineData("Development")]
    [InlineData("Production")]
    public async Task Browser_page_requests_get_the_friendly_error_page_without_details(string environment)
    {
        using var app = new ConsoleAppFactory(environment: environment, testServices: AddThrowingEndpoint);
        using var client = app.CreateBrowserClient();

        using var response = await SendAsync(client, "/test-only/throw", "text/html");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("Something went wrong", body, StringComparison.Ordinal);
        AssertNothingLeaks(body);
    }

    [Fact]
    public async Task The_error_is_logged_under_the_trace_id_the_client_is_given()
    {
        var log = new CapturedErrors();
        using var app = new ConsoleAppFactory(testServices: services =>
        {
            AddThrowingEndpoint(services);
            services.AddSingleton<ILoggerProvider>(log);
        });
        using var client = app.CreateBrowserClient();

        using var response = await SendAsync(client, "/api/v1/test-only/throw", "application/json");
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var traceId = problem.RootElement.GetProperty("traceId").GetString()!;

        Assert.Contains(log.Errors, e => e.Message.Contains(traceId, StringComparison.Ordinal) && e.Exception is InvalidOperationException);
    }

    [Fact]
    public async Task A_form_with_a_stale_antiforgery_token_is_a_400_not_a_500()
    {
        using var app = new ConsoleAppFactory();
        using var client = app.CreateBrowserClient();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = ConsoleAppFactory.AdminEmail, ["password"] = ConsoleAppFactory.AdminPassword, ["__RequestVerificationToken"] = "CfDJ8stale-or-forged",
        });

        using var response = await client.PostAsync(new Uri("/account/sign-in/submit", UriKind.Relative), form);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync());
        AssertNothingLeaks(await response.Content.ReadAsStringAsync());
    }

    private static void AssertNothingLeaks(string body)
    {
        Assert.DoesNotContain("nrb_", body, StringComparison.Ordinal);
        Assert.DoesNotContain("at Neruba.", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Authorization", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("InvalidOperationException", body, StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string path, string? accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Secret);
        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        return await client.SendAsync(request);
    }

    /// <summary>Keeps the error-level log entries the app writes.</summary>
    private sealed class CapturedErrors : ILoggerProvider, ILogger
    {
        public System.Collections.Concurrent.ConcurrentBag<(string Message, Exception? Exception)> Errors { get; } = [];

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                Errors.Add((formatter(state, exception), exception));
            }
        }

        public void Dispose()
        {
        }
    }

    private static void AddThrowingEndpoint(IServiceCollection services) => services.AddSingleton<IStartupFilter, ThrowingEndpoint>();

    /// <summary>Test only: after every product route, paths ending in /test-only/throw fail with the request's headers in the message.</summary>
    private sealed class ThrowingEndpoint : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Use((context, rest) => context.Request.Path.Value?.EndsWith("/test-only/throw", StringComparison.Ordinal) == true
                ? throw new InvalidOperationException($"Test failure; headers: Authorization={context.Request.Headers.Authorization}")
                : rest(context));
        };
    }
}
