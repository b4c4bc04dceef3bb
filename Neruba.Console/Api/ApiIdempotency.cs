using System.Text.Json;
using Neruba.Infrastructure.UseCases;
using Neruba.Infrastructure.UseCases.Idempotency;

namespace Neruba.Console.Api;

/// <summary>
/// The HTTP side of idempotent API operations: reads the <c>Idempotency-Key</c> header and turns the use-case
/// pipeline's answer (fresh, replayed or refused) into a response. Claiming, leases and stored responses
/// live in the pipeline (<see cref="UseCaseRunner.RunIdempotentAsync{TRequest,TResult}"/>), not here.
/// </summary>
public static class ApiIdempotency
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

    /// <summary>The key, or a 400 problem when it is missing, too long or holds control characters.</summary>
    public static (string? Key, IResult? Problem) ReadKey(HttpContext http)
    {
        var key = http.Request.Headers[Header].ToString().Trim();
        if (key.Length is > 0 and <= IdempotencyClaims.MaxKeyLength && !key.Any(char.IsControl))
        {
            return (key, null);
        }

        return (null, ApiProblems.Problem(StatusCodes.Status400BadRequest, "The request is not valid.",
            $"Send a unique {Header} header (1 to {IdempotencyClaims.MaxKeyLength} printable characters) so the request can be retried safely.",
            new Dictionary<string, string[]>
            {
                [Header] = [key.Length == 0 ? $"The {Header} header is required for this request."
                    : key.Length > IdempotencyClaims.MaxKeyLength ? $"The {Header} header has {key.Length} characters; at most {IdempotencyClaims.MaxKeyLength}."
                    : $"The {Header} header holds control characters."],
            }));
    }

    /// <summary>Runs the use case once per key; <paramref name="respond"/> shapes the success that is stored and replayed.</summary>
    public static async Task<IResult> RunOnceAsync<TRequest, TResult>(HttpContext http, UseCaseRunner runner, UseCase<TRequest, TResult> useCase, Actor actor,
        TRequest request, Func<TResult, (int Status, object Body)> respond)
    {
        var (key, problem) = ReadKey(http);
        if (problem is not null)
        {
            return problem;
        }

        var outcome = await runner.RunIdempotentAsync(useCase, actor, request, key!, value =>
        {
            var (status, body) = respond(value);
            return new StoredResponse(status, JsonSerializer.Serialize(body, ApiJson.Options));
        }, http.RequestAborted);

        if (outcome.Response is { } response)
        {
            if (outcome.Replayed)
            {
                http.Response.Headers[ReplayedHeader] = "true";
            }

            return Results.Text(response.Json, "application/json", statusCode: response.StatusCode);
        }

        return ApiProblems.From(outcome.Result, _ => Results.StatusCode(StatusCodes.Status500InternalServerError));
    }
}
