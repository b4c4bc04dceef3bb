using Microsoft.AspNetCore.Mvc;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Console.Api;

/// <summary>Every API error is an RFC 9457 problem details body with words a developer can act on.</summary>
public static class ApiProblems
{
    public static IResult Problem(int status, string title, string detail, IDictionary<string, string[]>? errors = null)
    {
        if (errors is { Count: > 0 })
        {
            return Results.ValidationProblem(errors, detail, title: title, statusCode: status);
        }

        return Results.Problem(detail, statusCode: status, title: title);
    }

    public static async Task WriteAsync(HttpContext http, int status, string title, string detail)
    {
        http.Response.StatusCode = status;
        var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }

    /// <summary>Maps a use case's outcome to HTTP: 200/201 with the value, or a problem that says why not.</summary>
    public static IResult From<T>(UseCaseResult<T> result, Func<T, IResult> onSuccess) => result.Status switch
    {
        UseCaseStatus.Succeeded => onSuccess(result.Value!),
        UseCaseStatus.Invalid => Problem(StatusCodes.Status400BadRequest, "The request is not valid.", result.Message ?? "",
            result.Errors.ToDictionary(e => e.Key, e => e.Value)),
        UseCaseStatus.NotFound => Problem(StatusCodes.Status404NotFound, "Not found.", result.Message ?? ""),
        UseCaseStatus.Conflict => Problem(StatusCodes.Status409Conflict, "Conflict.", result.Message ?? ""),
        UseCaseStatus.Forbidden => Problem(StatusCodes.Status403Forbidden, "Forbidden.", result.Message ?? ""),
        UseCaseStatus.Failed => Problem(StatusCodes.Status500InternalServerError, "The change could not be saved.", result.Message ?? ""),
        _ => Problem(StatusCodes.Status500InternalServerError, "Unexpected outcome.", result.Status.ToString()),
    };
}
