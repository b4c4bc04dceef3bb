using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Domain.Audit;
using Neruba.Domain.Billing;
using Neruba.Domain.Metering;
using Neruba.Infrastructure.Billing.Plans;
using Neruba.Infrastructure.Billing.Subscriptions;
using Neruba.Infrastructure.Metering;
using Neruba.Infrastructure.Persistence;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Startup;

/// <summary>
/// Billing for the demo project: a metric, two plans, four subscriptions since the month before last and
/// usage for those months, so an Operator can run last month's billing on a fresh machine and follow
/// every invoice line back to usage and plan. Goes through the same use cases and ingest path as people do.
/// </summary>
internal sealed class DemoBillingSeed(UseCaseRunner runner, IServiceProvider services, IngestService ingest, NerubaDbContext db, TimeProvider clock)
{
    public const string Metric = "requests";

    public async Task SeedAsync(Guid projectId, CancellationToken cancellationToken)
    {
        var actor = new Actor(ActorKind.System, "demo-seed", "Demo seed", projectId, new HashSet<string>(ApiScopes.All));
        await RunAsync<SaveMetric, SaveMetric.Request, MetricView>(actor, new(Metric, "API requests", Aggregation.Count, null, []), cancellationToken);
        await RunAsync<SavePlan, SavePlan.Request, PlanView>(actor, new("starter", "Starter", "USD", BillingInterval.Monthly, "49.00", FeeTiming.InArrears,
            [new UsageCharge(Metric, ChargeModel.PerUnit, 0.002m, [], 0, 1000)], null, "10.00"), cancellationToken);
        await RunAsync<SavePlan, SavePlan.Request, PlanView>(actor, new("scale", "Scale", "USD", BillingInterval.Monthly, "199.00", FeeTiming.InAdvance,
            [new UsageCharge(Metric, ChargeModel.Graduated, 0, [new PriceTier(10000, 0.0015m), new PriceTier(null, 0.001m)], 0, 5000)], "250.00", null),
            cancellationToken);

        var twoMonthsAgo = BillingCalendar.MonthStartOf(clock.GetUtcNow()).AddMonths(-2);
        var start = DateOnly.FromDateTime(twoMonthsAgo.UtcDateTime);
        (string Customer, string Plan, DateOnly Start, int MonthlyRequests)[] subscriptions =
        [
            ("cus_acme", "starter", start, 2400),
            ("cus_globex", "scale", start, 18000),
            ("cus_umbrella", "starter", start.AddMonths(1).AddDays(14), 600),
            ("cus_wayne", "starter", start, 0),
        ];
        foreach (var (customer, plan, startsOn, requests) in subscriptions)
        {
            await RunAsync<StartSubscription, StartSubscription.Request, SubscriptionView>(actor, new(customer, plan, startsOn, null), cancellationToken);
            for (var month = twoMonthsAgo; month <= twoMonthsAgo.AddMonths(1); month = month.AddMonths(1))
            {
                await SendUsageAsync(projectId, customer, month, requests, cancellationToken);
            }
        }
    }

    /// <summary>Requests spread over the month's days, each received a minute after it happened (so none is late).</summary>
    private async Task SendUsageAsync(Guid projectId, string customer, DateTimeOffset month, int requests, CancellationToken cancellationToken)
    {
        var days = (month.AddMonths(1) - month).Days;
        var events = Enumerable.Range(0, requests)
            .Select(i => (At: month.AddDays(i % days).AddMinutes(i / days % 1440), Id: $"demo-{customer}-{month:yyyyMM}-{i}"))
            .Where(e => e.At < clock.GetUtcNow())
            .ToList();
        foreach (var chunk in events.Chunk(IngestService.MaxEventsPerRequest))
        {
            var incoming = chunk.Select(e => new IncomingEvent(e.Id, customer, Metric, e.At.ToString("O"), null)).ToList();
            await ingest.IngestAsync(projectId, incoming, null, chunk.Max(e => e.At).AddMinutes(1), cancellationToken);
        }
    }

    private async Task RunAsync<TUseCase, TRequest, TResult>(Actor actor, TRequest request, CancellationToken cancellationToken)
        where TUseCase : UseCase<TRequest, TResult>
    {
        var result = await runner.RunAsync((TUseCase)services.GetService(typeof(TUseCase))!, actor, request, cancellationToken);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Demo billing seed: {typeof(TUseCase).Name} failed: {result.Message}");
        }

        db.ChangeTracker.Clear();
    }
}
