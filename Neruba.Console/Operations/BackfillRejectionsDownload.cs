using System.Text;
using Neruba.Console.Access;
using Neruba.Infrastructure.Metering;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Console.Operations;

/// <summary><c>/usage/imports/{id}/rejections.csv</c>: why each rejected line of an import was refused.</summary>
public static class BackfillRejectionsDownload
{
    public static void MapBackfillRejections(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/usage/imports/{id:guid}/rejections.csv", DownloadAsync).RequireAuthorization(PermissionPolicies.ViewConsole);

    private static async Task<IResult> DownloadAsync(Guid id, HttpContext http, ProjectInView projectInView, GetBackfillRejections useCase, UseCaseRunner runner)
    {
        if (await HttpActor.ResolveAsync(http, projectInView) is not { } person)
        {
            return Results.Forbid();
        }

        var result = await runner.RunAsync(useCase, person, new GetBackfillRejections.Request(id), http.RequestAborted);
        return result.Succeeded
            ? Results.File(Encoding.UTF8.GetBytes(result.Value!), "text/csv; charset=utf-8", $"import-{id:N}-rejections.csv")
            : Results.NotFound(result.Message);
    }
}
