using Neruba.Domain.Access;
using Neruba.Domain.Metering;
using Neruba.Infrastructure.Metering;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Console.Api;

/// <summary><c>/api/v1/metrics</c>: list billable metrics, and create or change one by its code.</summary>
public static class MetricsApi
{
    public sealed record MetricBody(string? Name, Aggregation? Aggregation, string? Property, List<MetricFilter>? Filters);

    public static void MapMetricsApi(this RouteGroupBuilder api)
    {
        var metrics = api.MapGroup("/metrics").WithTags("Metrics");
        metrics.MapGet("/", ListAsync).RequireScope(ApiScopes.BillingRead).ListMetricsDocs();
        metrics.MapPut("/{code}", SaveAsync).RequireScope(ApiScopes.SetupWrite).SaveMetricDocs();
    }

    private static async Task<IResult> ListAsync(HttpContext http, ListMetrics useCase, UseCaseRunner runner) =>
        ApiProblems.From(await runner.RunAsync(useCase, ApiActor.From(http.User)!, new ListMetrics.Request(), http.RequestAborted), Results.Ok);

    private static async Task<IResult> SaveAsync(string code, HttpContext http, SaveMetric useCase, UseCaseRunner runner)
    {
        var (body, problem) = await ApiJson.ReadAsync<MetricBody>(http.Request);
        if (problem is not null)
        {
            return problem;
        }

        var request = new SaveMetric.Request(code, body!.Name, body.Aggregation, body.Property, body.Filters);
        return ApiProblems.From(await runner.RunAsync(useCase, ApiActor.From(http.User)!, request, http.RequestAborted), Results.Ok);
    }
}
