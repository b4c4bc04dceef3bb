using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace Neruba.Console.Operations;

/// <summary>
/// Unhandled errors in every environment (Development too): API and non-browser requests get an RFC 9457
/// problem with a trace id; browser page requests get the console's error page. Neither ever shows the
/// exception, its stack or the request's headers (which can hold an API key); those stay in the log.
/// </summary>
public static partial class UnhandledErrors
{
    public const string ErrorPagePath = "/error";

    public static IServiceCollection AddUnhandledErrors(this IServiceCollection services) =>
        services.AddExceptionHandler<ProblemExceptionHandler>();

    public static IApplicationBuilder UseUnhandledErrors(this IApplicationBuilder app) =>
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandlingPath = ErrorPagePath, CreateScopeForErrors = true });

    // The middleware has already pointed the request at the error page; the feature keeps the path that failed.
    private static bool WantsPage(HttpContext http) =>
        !new PathString(http.Features.Get<IExceptionHandlerPathFeature>()?.Path ?? http.Request.Path)
            .StartsWithSegments(Api.ApiRegistration.Prefix, StringComparison.OrdinalIgnoreCase)
        && http.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));

    private sealed partial class ProblemExceptionHandler(ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
        {
            // .NET stops logging an error an IExceptionHandler answers: write it here, under the trace id the client is given.
            // A request the framework could not read (a stale form's antiforgery token, a malformed body) is the client's
            // mistake: a 400 that says so, not a 500 and not a log entry that looks like a fault.
            int? badRequest = exception switch
            {
                BadHttpRequestException bad => bad.StatusCode,
                Microsoft.AspNetCore.Antiforgery.AntiforgeryValidationException => StatusCodes.Status400BadRequest,
                _ => null,
            };
            if (badRequest is null)
            {
                LogUnhandled(exception, http.Request.Method, http.Request.Path, Activity.Current?.Id ?? http.TraceIdentifier);
                if (WantsPage(http))
                {
                    return false; // the error page, re-executed at ErrorPagePath
                }
            }

            var status = badRequest ?? StatusCodes.Status500InternalServerError;
            var problem = new ProblemDetails
            {
                Status = status,
                Title = badRequest is null ? "Something went wrong." : "The request could not be read.",
                Detail = badRequest is null
                    ? "The request could not be completed and nothing was changed. Quote the traceId when you report it."
                    : "Nothing was changed. If this was a form, it may have expired: reload the page and try again.",
                Extensions = { ["traceId"] = Activity.Current?.Id ?? http.TraceIdentifier },
            };
            http.Response.StatusCode = status;
            http.Response.Headers[HeaderNames.CacheControl] = "no-store";
            await Results.Problem(problem).ExecuteAsync(http);
            return true;
        }

        [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error in {Method} {Path} (traceId {TraceId}).")]
        private partial void LogUnhandled(Exception exception, string method, string path, string traceId);
    }
}
