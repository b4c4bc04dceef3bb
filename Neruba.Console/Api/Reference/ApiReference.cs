using Microsoft.OpenApi;
using Neruba.Console.Access;
using Neruba.Domain.Access;
using Scalar.AspNetCore;

namespace Neruba.Console.Api.Reference;

/// <summary>
/// The API reference: an OpenAPI document of every <c>/api/v1</c> endpoint (generated from the endpoints themselves, so a new one
/// cannot be forgotten silently) at <see cref="DocumentPath"/>, and Scalar's interactive page over it at <see cref="PagePath"/>.
/// Both are for signed-in console members; the API itself is called with keys.
/// </summary>
public static class ApiReference
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/v1.json";
    public const string PagePath = "/api-reference";
    public const string SecuritySchemeName = "ApiKey";

    public static IServiceCollection AddNerubaApiReference(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, options =>
        {
            // Only the API: the console's pages, account and download endpoints are not part of it.
            options.ShouldInclude = description => description.RelativePath?.StartsWith(ApiRegistration.Prefix[1..] + "/", StringComparison.Ordinal) == true
                || string.Equals(description.RelativePath, ApiRegistration.Prefix[1..], StringComparison.Ordinal);
            options.AddDocumentTransformer((document, _, _) =>
            {
                Describe(document);
                return Task.CompletedTask;
            });
            options.CreateSchemaReferenceId = ApiSchemas.ReferenceId;
            options.AddSchemaTransformer(ApiSchemas.TransformAsync);
            options.AddOperationTransformer(ApiOperations.TransformAsync);
        });

    public static void MapNerubaApiReference(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOpenApi(DocumentPath.Replace(DocumentName, "{documentName}", StringComparison.Ordinal))
            .RequireAuthorization(PermissionPolicies.ViewConsole);
        endpoints.MapScalarApiReference(PagePath, scalar =>
        {
            scalar.WithTitle("Neruba API reference").WithOpenApiRoutePattern(DocumentPath.Replace(DocumentName, "{documentName}", StringComparison.Ordinal));
            scalar.AddPreferredSecuritySchemes(SecuritySchemeName);
            // The machine may be offline and the console's CSP allows only its own origin: Scalar's script comes from the app
            // (embedded in the package), no CDN fonts, no telemetry; its inline start-up script carries a per-request nonce.
            scalar.DefaultFonts = false;
            scalar.Telemetry = false;
            scalar.DynamicNonce = true;
            // Online services (AI chat, SDK generation, hosted tools) are not part of an offline console.
            scalar.ShowDeveloperTools = DeveloperToolsVisibility.Never;
            scalar.Agent = new ScalarAgentOptions { Disabled = true };
            scalar.Mcp = new ScalarMcpOptions { Disabled = true };
        }).RequireAuthorization(PermissionPolicies.ViewConsole);
    }

    /// <summary>The areas in the order a new integration meets them.</summary>
    private static readonly (string Name, string Description)[] Areas =
    [
        ("Customers", "The people and companies you bill, addressed by Neruba id or your external id."),
        ("Credits", "Credit balances and grants; large grants wait for a second person's approval."),
        ("Events", "Usage events, the input of metered billing."),
        ("Metrics", "What usage is billed by: an aggregation of one event property."),
        ("Billing", "Plans, subscriptions and finalized invoices."),
        ("Credit notes", "The credit notes issued against invoices."),
        ("Corrections", "Correcting finalized invoices: credit notes and voids."),
        ("Checkout", "Credit packs and Stripe Checkout links to buy them."),
        ("Disputes", "Card disputes and their evidence deadlines."),
        ("Reconciliation", "Differences between Stripe and the ledger."),
        ("Readiness", "Whether billing is safe to run: the readiness page's signals, for alerting."),
    ];

    private static void Describe(OpenApiDocument document)
    {
        document.Tags = new HashSet<OpenApiTag>(Areas.Select(a => new OpenApiTag { Name = a.Name, Description = a.Description }));
        document.Info = new OpenApiInfo
        {
            Title = "Neruba API",
            Version = DocumentName,
            Description = "The JSON API of this Neruba console: customers, credits, usage events, metrics, plans and subscriptions, invoices and " +
                "their corrections, credit pack checkout, disputes and reconciliation. Send an API key created under Settings → API keys as " +
                "`Authorization: Bearer nrb_…`; each endpoint needs one scope. Errors are RFC 9457 problem details " +
                "(`application/problem+json`) that say what to change. Amounts in requests are JSON numbers in major units (25.00); " +
                "responses give both the amount and its minor units.",
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SecuritySchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "nrb_…",
            Description = "An API key of the project, sent as `Authorization: Bearer nrb_…`. Scopes: " +
                string.Join("; ", ApiScopes.All.Select(s => $"`{s}` — {ApiScopes.Describe(s)}")) + ".",
        };
    }
}
