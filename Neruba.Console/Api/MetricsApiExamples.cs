using Neruba.Console.Api.Reference;
using Neruba.Domain.Metering;
using Neruba.Infrastructure.Metering;
using static Neruba.Console.Api.Reference.ApiExampleValues;

namespace Neruba.Console.Api;

/// <summary>Reference examples for <see cref="MetricsApi"/>.</summary>
internal static class MetricsApiExamples
{
    public static readonly MetricsApi.MetricBody Save = new("API calls", Aggregation.Sum, "calls",
        [new MetricFilter("region", FilterOperator.In, ["eu-west", "eu-central"])]);

    public static readonly MetricView Metric = new(Guid.Parse("8b9c0d1e-2f3a-4b4c-9d5e-6f7a8b9c0d1e"), "api_calls", "API calls", Aggregation.Sum, "calls",
        Save.Filters!, true, Created);

    public static RouteHandlerBuilder ListMetricsDocs(this RouteHandlerBuilder endpoint) => endpoint
        .Documented("List billable metrics", "Every billable metric of the project: its code (what events name), aggregation, property and filters, " +
            "and whether events already use it.")
        .Ok<IReadOnlyList<MetricView>>([Metric]);

    public static RouteHandlerBuilder SaveMetricDocs(this RouteHandlerBuilder endpoint) => endpoint
        .Documented("Create or change a metric",
            "Creates the metric with this code, or changes it. Aggregations: count, sum, max, uniqueCount (sum, max and uniqueCount need a " +
            "property). Once events use a metric its aggregation and property cannot change (409).", 400, 409, 413, 415)
        .Request(Save).Ok(Metric);
}
