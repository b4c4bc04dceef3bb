using System.Diagnostics.Metrics;
using System.Net;
using Neruba.Infrastructure.Operations.Readiness;
using OpenTelemetry.Metrics;

namespace Neruba.Console.Operations;

/// <summary>
/// The readiness signals as metrics, for teams that alert on them: off unless <c>Neruba:Metrics:Prometheus</c> is true, then served at
/// <c>/metrics</c> in Prometheus' text format to the addresses in <c>Neruba:Metrics:AllowedAddresses</c> (loopback only by default: the figures
/// name projects and counts, which are nobody else's business). A background sampler reads every project's signals once a minute; a scrape only
/// reads the last sample, so a busy scraper never loads the database.
/// </summary>
public static class ReadinessMetrics
{
    public const string MeterName = "Neruba.Readiness";
    public const string Path = "/metrics";
    private const string EnabledKey = "Neruba:Metrics:Prometheus";

    public static IServiceCollection AddNerubaMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        if (!configuration.GetValue<bool>(EnabledKey))
        {
            return services;
        }

        services.AddSingleton<ReadinessGauges>();
        services.AddHostedService<ReadinessSampler>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(MeterName).AddPrometheusExporter());
        return services;
    }

    public static void MapNerubaMetrics(this WebApplication app)
    {
        if (!app.Configuration.GetValue<bool>(EnabledKey))
        {
            return;
        }

        var allowed = AllowedAddresses(app.Configuration.GetSection("Neruba:Metrics:AllowedAddresses"));
        app.UseWhen(http => http.Request.Path.StartsWithSegments(Path), branch => branch.Use(async (http, next) =>
        {
            var from = http.Connection.RemoteIpAddress;
            if (from is null || !(IPAddress.IsLoopback(from) || allowed.Contains(from.IsIPv4MappedToIPv6 ? from.MapToIPv4() : from)))
            {
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            await next(http);
        }));
        app.MapPrometheusScrapingEndpoint(Path).AllowAnonymous();
    }

    /// <summary>A list, or one comma-separated value (as environment variables give it); an address that does not parse stops the start in words.</summary>
    private static HashSet<IPAddress> AllowedAddresses(IConfigurationSection section)
    {
        var values = section.Value is { } single ? [single] : section.GetChildren().Select(c => c.Value ?? "");
        var allowed = new HashSet<IPAddress>();
        foreach (var text in values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            allowed.Add(IPAddress.TryParse(text, out var address)
                ? address
                : throw new Infrastructure.Configuration.NerubaConfigurationException(
                    $"Neruba:Metrics:AllowedAddresses has '{text}', which is not an IP address (ranges are not supported; list each address)."));
        }

        return allowed;
    }
}

/// <summary>
/// <c>neruba_readiness_signal_level</c> (0 off, 1 green, 2 amber, 3 red) and <c>neruba_readiness_signal_value</c> (the signal's figure) per project
/// and signal, plus <c>neruba_readiness_overall_level</c> per project.
/// </summary>
public sealed class ReadinessGauges : IDisposable
{
    private readonly Meter _meter = new(ReadinessMetrics.MeterName);
    private IReadOnlyList<(string ProjectSlug, ReadinessReport Report)> _latest = [];

    public ReadinessGauges()
    {
        _meter.CreateObservableGauge("neruba.readiness.signal.level", () => Signals(s => (int)s.Level),
            description: "Readiness signal level: 0 not in use, 1 green, 2 amber, 3 red.");
        _meter.CreateObservableGauge("neruba.readiness.signal.value", () => Signals(s => s.Value),
            description: "The figure the signal was judged on (a count, minutes or MB; -1 when none).");
        _meter.CreateObservableGauge("neruba.readiness.overall.level", () => _latest.Select(p =>
            new Measurement<int>((int)p.Report.Overall, new KeyValuePair<string, object?>("project", p.ProjectSlug))),
            description: "The worst signal of the project: 1 green, 2 amber, 3 red.");
    }

    public void Update(IReadOnlyList<(string ProjectSlug, ReadinessReport Report)> latest) => _latest = latest;

    private IEnumerable<Measurement<T>> Signals<T>(Func<ReadinessSignal, T> value)
        where T : struct =>
        _latest.SelectMany(p => p.Report.Signals.Select(s => new Measurement<T>(value(s),
            new KeyValuePair<string, object?>("project", p.ProjectSlug), new KeyValuePair<string, object?>("signal", s.Key))));

    public void Dispose() => _meter.Dispose();
}

/// <summary>Samples every project's readiness at start and then once a minute.</summary>
public sealed partial class ReadinessSampler(ReadinessSnapshots snapshots, ReadinessGauges gauges, ILogger<ReadinessSampler> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                gauges.Update(await snapshots.ReadAllAsync(stoppingToken));
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogFailed(logger, exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Readiness metrics: sampling failed; the previous sample is served.")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
