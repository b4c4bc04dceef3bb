namespace Neruba.Console.Api.Reference;

/// <summary>An example body for the reference: <see cref="Status"/> null is the request, otherwise the response with that status.</summary>
public sealed record ApiExampleMetadata(int? Status, object Example);

/// <summary>The endpoint honours an <c>Idempotency-Key</c> header (required, or optional: without it the change simply runs).</summary>
public sealed record ApiIdempotencyMetadata(bool Required);

/// <summary>
/// What the API reference says about an endpoint, next to where it is mapped. The handlers read bodies themselves (strictly, see
/// <see cref="ApiJson"/>) and answer <see cref="IResult"/>, so the request and response types are declared here; examples are real DTOs,
/// serialized with <see cref="ApiJson.Options"/> when the document is built, so they cannot drift from the wire format.
/// </summary>
public static class ApiDocs
{
    /// <summary>Summary and description in the product's words, and the problems the endpoint answers besides 401/403/429 (every endpoint's).</summary>
    public static RouteHandlerBuilder Documented(this RouteHandlerBuilder endpoint, string summary, string description, params int[] problems)
    {
        endpoint.WithSummary(summary).WithDescription(description);
        foreach (var status in problems.Concat([StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status429TooManyRequests]).Distinct())
        {
            endpoint.ProducesProblem(status);
        }

        return endpoint;
    }

    /// <summary>A JSON body of <typeparamref name="TBody"/>, with an example of it.</summary>
    /// <remarks>Not <c>Accepts&lt;T&gt;</c>: that metadata makes routing refuse other content types with a bare 415, before the handler's problem.</remarks>
    public static RouteHandlerBuilder Request<TBody>(this RouteHandlerBuilder endpoint, TBody example) where TBody : notnull =>
        endpoint.WithMetadata(new ApiExampleMetadata(null, example));

    /// <summary>A success answer of <typeparamref name="TResponse"/> with <paramref name="status"/>, with an example of it.</summary>
    public static RouteHandlerBuilder Response<TResponse>(this RouteHandlerBuilder endpoint, int status, TResponse example) where TResponse : notnull =>
        endpoint.Produces<TResponse>(status).WithMetadata(new ApiExampleMetadata(status, example));

    public static RouteHandlerBuilder Ok<TResponse>(this RouteHandlerBuilder endpoint, TResponse example) where TResponse : notnull =>
        endpoint.Response(StatusCodes.Status200OK, example);

    /// <summary>A retry with the same <c>Idempotency-Key</c> gets the first answer back (header <c>Idempotent-Replayed: true</c>).</summary>
    public static RouteHandlerBuilder Idempotent(this RouteHandlerBuilder endpoint, bool required) =>
        endpoint.WithMetadata(new ApiIdempotencyMetadata(required));
}
