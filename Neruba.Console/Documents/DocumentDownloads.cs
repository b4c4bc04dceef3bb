using Neruba.Console.Access;
using Neruba.Infrastructure.Billing.Documents;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Console.Documents;

/// <summary>
/// <c>/invoices/{id}/pdf</c> and <c>/credit-notes/{id}/pdf</c>: the document a customer receives, as a PDF download. Checked on the server like
/// every download: a signed-in member of the project; another project's document is not found.
/// </summary>
public static class DocumentDownloads
{
    public static string InvoicePdf(Guid id) => $"/invoices/{id}/pdf";

    public static string CreditNotePdf(Guid id) => $"/credit-notes/{id}/pdf";

    public static void MapDocumentDownloads(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/invoices/{id}/pdf", (string id, HttpContext http, ProjectInView projectInView, GetBillingDocument useCase, UseCaseRunner runner) =>
            DownloadAsync(http, projectInView, runner, useCase, new GetBillingDocument.Request(DocumentKind.Invoice, id)))
            .RequireAuthorization(PermissionPolicies.ViewConsole);
        endpoints.MapGet("/credit-notes/{id}/pdf", (string id, HttpContext http, ProjectInView projectInView, GetBillingDocument useCase, UseCaseRunner runner) =>
            DownloadAsync(http, projectInView, runner, useCase, new GetBillingDocument.Request(DocumentKind.CreditNote, id)))
            .RequireAuthorization(PermissionPolicies.ViewConsole);
    }

    private static async Task<IResult> DownloadAsync(HttpContext http, ProjectInView projectInView, UseCaseRunner runner, GetBillingDocument useCase,
        GetBillingDocument.Request request)
    {
        if (await HttpActor.ResolveAsync(http, projectInView) is not { } person)
        {
            return Results.Forbid();
        }

        var result = await runner.RunAsync(useCase, person, request, http.RequestAborted);
        if (!result.Succeeded)
        {
            return Results.NotFound(result.Message);
        }

        var sheet = DocumentSheet.From(result.Value!);
        return Results.File(DocumentPdf.Render(sheet, result.Value!.IssuedAt), "application/pdf", sheet.FileName);
    }
}
