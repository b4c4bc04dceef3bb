using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Console.Api;

/// <summary>
/// Makes a money-moving POST safe to retry. The <c>Idempotency-Key</c> header is claimed before the work
/// runs (a unique row, so two concurrent copies cannot both run); a replay with the same body gets the
/// first response back, a replay with another body gets 409. Failed attempts release the key.
/// </summary>
public sealed class ApiIdempotency(IDbContextFactory<NerubaDbContext> dbFactory, TimeProvider clock)
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    private const int InProgress = 0;

    public async Task<IResult> RunOnceAsync(HttpContext http, Guid projectId, string endpoint, byte[] body, Func<Task<(int Status, object? Body, IResult Result)>> work)
    {
        var key = http.Request.Headers[Header].ToString().Trim();
        if (key.Length is 0 or > 200)
        {
            return ApiProblems.Problem(StatusCodes.Status400BadRequest, "The request is not valid.",
                $"Send a unique {Header} header (1 to 200 characters) so the request can be retried safely.",
                new Dictionary<string, string[]> { [Header] = [$"The {Header} header is required for this request."] });
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(body));
        var record = new ApiIdempotencyRecord
        {
            Id = Guid.NewGuid(), ProjectId = projectId, Key = key, Endpoint = endpoint, RequestHash = hash, StatusCode = InProgress, CreatedAt = clock.GetUtcNow(),
        };

        await using (var db = await dbFactory.CreateDbContextAsync(http.RequestAborted))
        {
            db.ApiIdempotencyRecords.Add(record);
            try
            {
                await db.SaveChangesAsync(http.RequestAborted);
            }
            catch (DbUpdateException)
            {
                return await ReplayAsync(http, projectId, endpoint, key, hash);
            }
        }

        var (status, responseBody, result) = await work();
        await using (var db = await dbFactory.CreateDbContextAsync(CancellationToken.None))
        {
            db.ApiIdempotencyRecords.Attach(record);
            if (status is >= 200 and < 300)
            {
                record.StatusCode = status;
                record.ResponseJson = JsonSerializer.Serialize(responseBody, ApiJson.Options);
            }
            else
            {
                // Nothing was done: let the client correct the request and send it again under the same key.
                db.ApiIdempotencyRecords.Remove(record);
            }

            await db.SaveChangesAsync(CancellationToken.None);
        }

        return result;
    }

    private async Task<IResult> ReplayAsync(HttpContext http, Guid projectId, string endpoint, string key, string hash)
    {
        await using var db = await dbFactory.CreateDbContextAsync(http.RequestAborted);
        var first = await db.ApiIdempotencyRecords.AsNoTracking()
            .FirstOrDefaultAsync(r => r.ProjectId == projectId && r.Endpoint == endpoint && r.Key == key, http.RequestAborted);
        if (first is null || first.StatusCode == InProgress)
        {
            return ApiProblems.Problem(StatusCodes.Status409Conflict, "Conflict.", $"A request with {Header} '{key}' is still being processed; retry in a moment.");
        }

        if (first.RequestHash != hash)
        {
            return ApiProblems.Problem(StatusCodes.Status409Conflict, "Conflict.",
                $"{Header} '{key}' was already used with a different body. Use a new key for a new request.");
        }

        http.Response.Headers[ReplayedHeader] = "true";
        return Results.Text(first.ResponseJson, "application/json", statusCode: first.StatusCode);
    }
}
