using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Neruba.Console.Api.Reference;
using Neruba.Domain.Access;

namespace Neruba.Console.Api;

public static class ApiRegistration
{
    public const string Prefix = "/api/v1";

    public static string ScopePolicy(string scope) => "api:" + scope;

    public static IServiceCollection AddNerubaApi(this IServiceCollection services)
    {
        services.AddSingleton<ApiFailureLimiter>();
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = ApiJson.Options.PropertyNamingPolicy;
            json.SerializerOptions.NumberHandling = ApiJson.Options.NumberHandling; // numbers are never strings, also in the API reference
            foreach (var converter in ApiJson.Options.Converters)
            {
                json.SerializerOptions.Converters.Add(converter);
            }
        });
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        services.AddAuthorizationBuilder().AddApiScopePolicies();
        services.AddNerubaApiReference();
        return services;
    }

    private static void AddApiScopePolicies(this AuthorizationBuilder authorization)
    {
        foreach (var scope in ApiScopes.All)
        {
            authorization.AddPolicy(ScopePolicy(scope), policy => policy
                .AddAuthenticationSchemes(ApiKeyAuthentication.SchemeName)
                .RequireAuthenticatedUser()
                .RequireClaim(ApiKeyAuthentication.ScopeClaim, scope));
        }
    }

    /// <summary>Requires an API key with <paramref name="scope"/> (never a console cookie) for this endpoint.</summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder endpoint, string scope)
        where TBuilder : IEndpointConventionBuilder =>
        endpoint.RequireAuthorization(ScopePolicy(scope)).WithMetadata(new ApiScopeMetadata(scope));

    public static void MapNerubaApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup(Prefix).DisableAntiforgery();
        api.MapCustomersApi();
        api.MapCreditsApi();
        api.MapEventsApi();
        api.MapMetricsApi();
        api.MapBillingApi();
        api.MapCreditNotesApi();
        api.MapCorrectionsApi();
        api.MapCheckoutApi();
        api.MapDisputesApi();
        api.MapReconciliationApi();
        api.MapReadinessApi();
        endpoints.MapNerubaApiReference();
    }
}
