using Hangfire;
using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Metering;

public sealed record BackfillView(Guid Id, string FileName, BackfillStatus Status, int Total, int Processed, int Accepted, int Duplicates, int Rejected,
    string? Error, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt)
{
    public static BackfillView From(BackfillImport b) => new(b.Id, b.FileName, b.Status, b.Total, b.Processed, b.Accepted, b.Duplicates, b.Rejected, b.Error,
        b.CreatedBy, b.CreatedAt, b.FinishedAt);

    public int PercentDone => Total == 0 ? (Status == BackfillStatus.Succeeded ? 100 : 0) : (int)(100L * Processed / Total);
}

/// <summary>An Operator uploads a file of past events; a job feeds it through the ingest path.</summary>
public sealed class StartBackfillImport(IBackgroundJobClient jobs) : UseCase<StartBackfillImport.Request, BackfillView>
{
    public sealed record Request(string? FileName, byte[]? Content);

    public override AccessRule Access { get; } = new(Permission.RunJobs);

    public override ValidationErrors Validate(Request request)
    {
        var errors = new ValidationErrors();
        if (string.IsNullOrWhiteSpace(request.FileName) || !(request.FileName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)
            || request.FileName.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) || request.FileName.EndsWith(".ndjson", StringComparison.OrdinalIgnoreCase)))
        {
            errors.Add("file", "Upload a .csv file (columns " + BackfillFile.CsvHeader + ") or a .jsonl file (one event per line).");
        }

        if (request.Content is not { Length: > 0 })
        {
            errors.Add("file", "The file is empty.");
        }
        else if (request.Content.Length > BackfillImport.MaxFileBytes)
        {
            errors.Add("file", $"The file is larger than {BackfillImport.MaxFileBytes / 1024 / 1024} MiB; split it.");
        }

        return errors;
    }

    public override Task<UseCaseResult<BackfillView>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var import = new BackfillImport
        {
            Id = Guid.NewGuid(), ProjectId = context.ProjectId, FileName = Path.GetFileName(request.FileName!), Content = request.Content!,
            Status = BackfillStatus.Queued, CreatedBy = context.Actor.Name, CreatedAt = context.Now,
        };
        context.Db.BackfillImports.Add(import);
        context.AfterCommit(() => jobs.Enqueue<BackfillImportJob>(job => job.RunAsync(import.Id, CancellationToken.None)));
        context.Audit("usage.backfill_started", "backfill", import.Id.ToString(), null, new { import.FileName, Bytes = import.Content.Length });
        return Task.FromResult(UseCaseResult<BackfillView>.Ok(BackfillView.From(import)));
    }
}

/// <summary>The project's imports, filtered by status, sorted and paged in the database; newest first unless asked otherwise.</summary>
public sealed class ListBackfillImports : UseCase<ListBackfillImports.Request, PageOf<BackfillView>>
{
    public enum SortField
    {
        CreatedAt,
        FileName,
        Status,
        Total,
        Rejected,
    }

    public sealed record Request(BackfillStatus? Status = null, int Page = 0, int PageSize = 25, SortField Sort = SortField.CreatedAt, bool Descending = true);

    public override AccessRule Access { get; } = new(Permission.ViewConsole);

    public override async Task<UseCaseResult<PageOf<BackfillView>>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var query = context.Db.BackfillImports.AsNoTracking().Where(b => b.ProjectId == context.ProjectId);
        if (request.Status is { } status)
        {
            query = query.Where(b => b.Status == status);
        }

        // Everything but the stored file and its rejections, which only their downloads read.
        var imports = await query.PageAsync(q => Sorted(q, request.Sort, request.Descending), request.Page, request.PageSize, b => new BackfillImport
            {
                Id = b.Id, FileName = b.FileName, Status = b.Status, Total = b.Total, Processed = b.Processed, Accepted = b.Accepted, Duplicates = b.Duplicates,
                Rejected = b.Rejected, Error = b.Error, CreatedBy = b.CreatedBy, CreatedAt = b.CreatedAt, FinishedAt = b.FinishedAt,
            }, cancellationToken);
        return UseCaseResult<PageOf<BackfillView>>.Ok(new PageOf<BackfillView>(imports.Items.Select(BackfillView.From).ToList(), imports.Total, imports.Page, imports.PageSize));
    }

    // Ties fall back to the start time, then the id, so pages never overlap.
    private static IQueryable<BackfillImport> Sorted(IQueryable<BackfillImport> query, SortField sort, bool descending) => sort switch
    {
        SortField.FileName => query.OrderBy(b => b.FileName, descending).ThenByDescending(b => b.CreatedAt).ThenBy(b => b.Id),
        SortField.Status => query.OrderBy(b => b.Status, descending).ThenByDescending(b => b.CreatedAt).ThenBy(b => b.Id),
        SortField.Total => query.OrderBy(b => b.Total, descending).ThenByDescending(b => b.CreatedAt).ThenBy(b => b.Id),
        SortField.Rejected => query.OrderBy(b => b.Rejected, descending).ThenByDescending(b => b.CreatedAt).ThenBy(b => b.Id),
        _ => query.OrderBy(b => b.CreatedAt, descending).ThenBy(b => b.Id),
    };
}

/// <summary>The rejected lines of an import, as CSV.</summary>
public sealed class GetBackfillRejections : UseCase<GetBackfillRejections.Request, string>
{
    public sealed record Request(Guid ImportId);

    public override AccessRule Access { get; } = new(Permission.ViewConsole);

    public override async Task<UseCaseResult<string>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var csv = await context.Db.BackfillImports.Where(b => b.Id == request.ImportId && b.ProjectId == context.ProjectId).Select(b => b.RejectionsCsv)
            .FirstOrDefaultAsync(cancellationToken);
        return csv is null ? UseCaseResult<string>.NotFound("That import does not exist in this project.") : UseCaseResult<string>.Ok(csv);
    }
}
