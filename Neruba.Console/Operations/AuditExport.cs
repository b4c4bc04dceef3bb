using System.Globalization;
using System.Text;
using Neruba.Console.Access;
using Neruba.Domain.Audit;
using Neruba.Infrastructure.Audit;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Console.Operations;

/// <summary><c>/audit/export.csv</c>: the audit log with the page's filters, as a CSV download that is safe in spreadsheets.</summary>
public static class AuditExport
{
    public const string Path = "/audit/export.csv";

    public static void MapAuditExport(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet(Path, ExportAsync).RequireAuthorization(PermissionPolicies.ViewConsole);

    public static AuditFilter FilterFrom(string? actor, string? action, string? target, DateTime? from, DateTime? to, AuditOutcome? outcome = null) => new(
        actor, action, target,
        from is { } start ? new DateTimeOffset(start.Date, TimeSpan.Zero) : null,
        to is { } end ? new DateTimeOffset(end.Date.AddDays(1).AddTicks(-1), TimeSpan.Zero) : null,
        outcome);

    public static string Url(string? actor, string? action, string? target, DateTime? from, DateTime? to, AuditOutcome? outcome = null)
    {
        var query = new List<string>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                query.Add($"{name}={Uri.EscapeDataString(value)}");
            }
        }

        Add("actor", actor);
        Add("action", action);
        Add("target", target);
        Add("from", from?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Add("to", to?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Add("outcome", outcome?.ToString());
        return query.Count == 0 ? Path : Path + "?" + string.Join('&', query);
    }

    private static async Task<IResult> ExportAsync(HttpContext http, ProjectInView projectInView, SearchAudit search, UseCaseRunner runner,
        string? actor, string? action, string? target, string? from, string? to, string? outcome)
    {
        if (await HttpActor.ResolveAsync(http, projectInView) is not { } person)
        {
            return Results.Forbid();
        }

        if (!TryDate(from, out var fromDate) || !TryDate(to, out var toDate))
        {
            return Results.BadRequest("Dates are written yyyy-MM-dd.");
        }

        AuditOutcome? outcomeFilter = null;
        if (!string.IsNullOrWhiteSpace(outcome))
        {
            if (!Enum.TryParse<AuditOutcome>(outcome, ignoreCase: true, out var parsedOutcome) || !Enum.IsDefined(parsedOutcome))
            {
                return Results.BadRequest("The outcome is Succeeded or Denied.");
            }

            outcomeFilter = parsedOutcome;
        }

        var filter = FilterFrom(actor, action, target, fromDate, toDate, outcomeFilter);
        var result = await runner.RunAsync(search, person, new SearchAudit.Request(filter, 0, SearchAudit.MaxExportRows), http.RequestAborted);
        if (!result.Succeeded)
        {
            return Results.BadRequest(result.Message);
        }

        var fileName = $"neruba-audit-{DateTime.UtcNow:yyyyMMdd-HHmmss}.csv";
        return Results.File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(AuditCsv.Write(result.Value!.Items))).ToArray(),
            "text/csv; charset=utf-8", fileName);
    }

    private static bool TryDate(string? text, out DateTime? date)
    {
        date = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        var ok = DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed);
        date = ok ? parsed : null;
        return ok;
    }
}
