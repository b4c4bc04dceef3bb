using Neruba.Domain.Access;
using Neruba.Infrastructure.Operations.Readiness;
using Neruba.Infrastructure.UseCases;
using static Neruba.Console.Api.CreditsApi;

namespace Neruba.Console.Api;

/// <summary><c>GET /api/v1/readiness</c>: the readiness page's signals, read-only, so a team can alert on them.</summary>
public static class ReadinessApi
{
    /// <summary>One signal: <c>level</c> is off, green, amber or red; <c>value</c> is the figure as a number (a count, minutes or MB; -1 when none).</summary>
    public sealed record SignalDto(string Key, string Area, string Title, string Level, string Figure, long Value, string Threshold, string FixPage,
        string Runbook, IReadOnlyList<string> Offending)
    {
        public static SignalDto From(ReadinessSignal s) => new(s.Key, Camel(s.Area.ToString()), s.Title, Camel(s.Level.ToString()), s.Figure, s.Value,
            s.Threshold, s.FixPage, $"/runbooks/{s.Runbook}", s.Offending);
    }

    public sealed record ReadinessDto(string Overall, DateTimeOffset AsOf, IReadOnlyList<SignalDto> Signals);

    public static void MapReadinessApi(this RouteGroupBuilder api) =>
        api.MapGet("/readiness", ReadAsync).WithTags("Readiness").RequireScope(ApiScopes.BillingRead).ReadinessDocs();

    private static async Task<IResult> ReadAsync(HttpContext http, GetReadiness useCase, UseCaseRunner runner)
    {
        var result = await runner.RunAsync(useCase, ApiActor.From(http.User)!, new GetReadiness.Request(), http.RequestAborted);
        return ApiProblems.From(result, report => Results.Ok(new ReadinessDto(Camel(report.Overall.ToString()), report.AsOf,
            report.Signals.Select(SignalDto.From).ToList())));
    }
}
