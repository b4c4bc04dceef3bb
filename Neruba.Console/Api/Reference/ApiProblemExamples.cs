using Microsoft.AspNetCore.Mvc;

namespace Neruba.Console.Api.Reference;

/// <summary>What each problem status means in this API, with an example body of the kind <see cref="ApiProblems"/> writes.</summary>
internal static class ApiProblemExamples
{
    public static string Describe(int status) => status switch
    {
        400 => "The request is not valid: `errors` names each field (by its JSON name) and what to change. Nothing was changed.",
        401 => "No API key, or one that is unknown, revoked or expired.",
        403 => "The API key lacks the scope this endpoint needs.",
        404 => "Nothing of that id in the key's project.",
        409 => "The change conflicts with the current state (said in `detail`), or the same Idempotency-Key is in use with another body.",
        413 => "The body is larger than the endpoint accepts.",
        415 => "The body is not sent as `Content-Type: application/json`.",
        429 => "Too many refused requests from this client or key; wait the seconds in `Retry-After`.",
        503 => "The events could not be stored now; resend them after `Retry-After` seconds. Nothing was stored.",
        _ => "See `detail`.",
    };

    public static ProblemDetails For(int status) => status switch
    {
        400 => new HttpValidationProblemDetails(new Dictionary<string, string[]> { ["currency"] = ["Currency 'EURO' is not an ISO 4217 code such as EUR."] })
        {
            Status = 400, Title = "The request is not valid.", Detail = "Currency 'EURO' is not an ISO 4217 code such as EUR.",
        },
        401 => Problem(401, "Unauthorized.", "Send an API key as 'Authorization: Bearer nrb_…'."),
        403 => Problem(403, "Forbidden.", "This API key lacks the 'billing:read' scope. Create a key with that scope to call GET /api/v1/invoices."),
        404 => Problem(404, "Not found.", "No customer 'cus_4821' in this project."),
        409 => Problem(409, "Conflict.", "The invoice INV-2026-0042 is void; a void invoice cannot be credited."),
        413 => Problem(413, "The body is too large.", "Send at most 64 KiB in one request."),
        415 => Problem(415, "Unsupported media type.", "Send the body as JSON with the header Content-Type: application/json."),
        429 => Problem(429, "Too many refused requests.", "This client sent too many requests with missing or invalid API keys; try again in 30 seconds."),
        503 => Problem(503, "Events not stored.", "The ingest queue is full; try again in 2 seconds."),
        _ => Problem(status, "Error.", "See detail."),
    };

    private static ProblemDetails Problem(int status, string title, string detail) => new() { Status = status, Title = title, Detail = detail };
}
