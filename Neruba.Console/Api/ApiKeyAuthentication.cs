using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Neruba.Infrastructure.Access.ApiKeys;
using Neruba.Infrastructure.Audit;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Console.Api;

/// <summary>
/// <c>Authorization: Bearer nrb_…</c> for the JSON API. Wrong, revoked and expired keys get a 401
/// problem, a missing scope a 403 problem; every refusal counts toward the failure limit of the key's prefix
/// and of the client address (see <see cref="ApiFailureLimiter"/>).
/// </summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyAuthenticator authenticator,
    ApiFailureLimiter limiter,
    AccessDenials denials) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string ProjectClaim = "neruba:project";
    public const string ScopeClaim = "scope";
    public const string OwnerClaim = "neruba:key-owner";
    private const string RefusalItem = "neruba:api-refusal";
    private const string RateLimitedItem = "neruba:api-rate-limited";
    private const string KeyPartitionItem = "neruba:api-key-partition";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        var presented = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;

        // A well-formed key's refusals count against its own prefix; keyless and malformed requests against the client address.
        if (ApiKeySecrets.LooksLikeSecret(presented))
        {
            Context.Items[KeyPartitionItem] = ApiFailureLimiter.KeyPartition(presented!);
        }
        else
        {
            return limiter.RetryAfter(ApiFailureLimiter.AddressPartition(Context)) is { } keylessWait
                ? RateLimited(keylessWait)
                : Refuse("Send an API key as 'Authorization: Bearer nrb_…'.");
        }

        // The key is looked up first: a valid key is never refused, whatever others sent with its prefix or from its address
        // (a secret has about 190 random bits, so the limit is there to quiet noisy clients, not to make guessing possible).
        var (check, key) = await authenticator.AuthenticateAsync(presented!, Context.RequestAborted);
        if (check != ApiKeyCheck.Valid
            && (limiter.RetryAfter((string)Context.Items[KeyPartitionItem]!) ?? limiter.RetryAfter(ApiFailureLimiter.AddressPartition(Context))) is { } wait)
        {
            return RateLimited(wait);
        }

        switch (check)
        {
            case ApiKeyCheck.Valid:
                var claims = new List<Claim>
                {
                    new(ClaimTypes.NameIdentifier, key!.KeyId.ToString()),
                    new(ClaimTypes.Name, $"API key {key.Name} ({key.Prefix}…)"),
                    new(ProjectClaim, key.ProjectId.ToString()),
                    new(OwnerClaim, key.OwnerUserId),
                };
                claims.AddRange(key.Scopes.Select(scope => new Claim(ScopeClaim, scope)));
                return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));

            case ApiKeyCheck.Revoked or ApiKeyCheck.Expired:
                var state = check == ApiKeyCheck.Revoked ? "revoked" : "expired";
                await denials.RecordAsync(Actor.Key(key!.KeyId, $"API key {key.Name} ({key.Prefix}…)", key.ProjectId, key.Scopes, key.OwnerUserId),
                    "api", $"{Request.Method} {Request.Path}", $"The API key is {state}.");
                return Refuse($"This API key is {state}. Ask an admin of the project for a new one.");

            default:
                return Refuse("The API key is not valid.");
        }
    }

    private AuthenticateResult Refuse(string reason)
    {
        Context.Items[RefusalItem] = reason;
        if (Context.Items[KeyPartitionItem] is string keyPartition)
        {
            limiter.RecordFailure(keyPartition);
        }

        limiter.RecordFailure(ApiFailureLimiter.AddressPartition(Context));
        return AuthenticateResult.Fail(reason);
    }

    private AuthenticateResult RateLimited(TimeSpan wait)
    {
        Context.Items[RateLimitedItem] = wait;
        return AuthenticateResult.Fail("Too many refused requests.");
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items[RateLimitedItem] is TimeSpan wait)
        {
            Response.Headers.RetryAfter = Math.Ceiling(wait.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await ApiProblems.WriteAsync(Context, StatusCodes.Status429TooManyRequests, "Too many refused requests.",
                $"This client sent too many requests with missing or invalid API keys; try again in {Math.Ceiling(wait.TotalSeconds)} seconds.");
            return;
        }

        Response.Headers.WWWAuthenticate = "Bearer";
        await ApiProblems.WriteAsync(Context, StatusCodes.Status401Unauthorized, "Unauthorized.",
            Context.Items[RefusalItem] as string ?? "Send an API key as 'Authorization: Bearer nrb_…'.");
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        // A valid key without the scope: counted against that key alone, never against its address.
        limiter.RecordFailure(Context.Items[KeyPartitionItem] as string ?? ApiFailureLimiter.AddressPartition(Context));
        var required = Context.GetEndpoint()?.Metadata.GetMetadata<ApiScopeMetadata>()?.Scope ?? "another";
        if (ApiActor.From(Context.User) is { } actor)
        {
            await denials.RecordAsync(actor, "api", $"{Request.Method} {Request.Path}", $"The API key lacks the '{required}' scope.");
        }

        await ApiProblems.WriteAsync(Context, StatusCodes.Status403Forbidden, "Forbidden.",
            $"This API key lacks the '{required}' scope. Create a key with that scope to call {Request.Method} {Request.Path}.");
    }
}

/// <summary>The scope an API endpoint requires; read by the forbidden response and the access-matrix test.</summary>
public sealed record ApiScopeMetadata(string Scope);

/// <summary>The API key behind a request, as the use-case actor.</summary>
public static class ApiActor
{
    public static Actor? From(ClaimsPrincipal user)
    {
        if (user.Identity?.AuthenticationType != ApiKeyAuthentication.SchemeName
            || !Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var keyId)
            || !Guid.TryParse(user.FindFirstValue(ApiKeyAuthentication.ProjectClaim), out var projectId))
        {
            return null;
        }

        return Actor.Key(keyId, user.Identity.Name ?? keyId.ToString(), projectId,
            user.FindAll(ApiKeyAuthentication.ScopeClaim).Select(c => c.Value), user.FindFirstValue(ApiKeyAuthentication.OwnerClaim));
    }
}
