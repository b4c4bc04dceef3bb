using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Neruba.Console.Tests.Support;
using Neruba.Domain.Access;
using Neruba.Infrastructure.Payments.Reconciliation;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Console.Tests.Api;

/// <summary><c>GET /api/v1/reconciliation/mismatches</c> through the app pipeline: billing:read, status and kind filters, paging, problem details.</summary>
public sealed class ReconciliationApiTests
{
    [Fact]
    public async Task Mismatches_are_listed_with_both_sides_filtered_by_status_and_bad_filters_get_problem_details()
    {
        using var app = new ConsoleAppFactory();
        var project = await app.DemoProjectIdAsync();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NerubaDbContext>();
            var at = new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);
            var run = new ReconciliationRunRecord
            {
                Id = Guid.NewGuid(), ProjectId = project, WindowStart = at.AddHours(-8), WindowEnd = at.AddHours(16), Trigger = ReconciliationTrigger.Scheduled,
                Status = ReconciliationRunStatus.Succeeded, RequestedByName = "Daily schedule", CreatedAt = at,
            };
            db.ReconciliationRuns.Add(run);
            db.ReconciliationMismatches.AddRange(
                new ReconciliationMismatchRecord
                {
                    Id = Guid.NewGuid(), ProjectId = project, Kind = MismatchKind.FeeNotRecorded, SourceId = "ch_fee_1", ReportingCategory = "charge",
                    Currency = "USD", StripeAmount = 4_550, LedgerAmount = 4_550, StripeFee = 187, LedgerFee = 162, OccurredAt = at, StripeSide = "Stripe kept 1.87",
                    LedgerSide = "Recorded 1.62", SuggestedAction = "Post the difference", OpenKey = "FeeNotRecorded:ch_fee_1", FirstRunId = run.Id,
                    LastRunId = run.Id, FirstSeenAt = at, LastSeenAt = at,
                },
                new ReconciliationMismatchRecord
                {
                    Id = Guid.NewGuid(), ProjectId = project, Kind = MismatchKind.MissingInLedger, SourceId = "ch_old_1", ReportingCategory = "charge",
                    Currency = "USD", StripeAmount = 1_000, OccurredAt = at, StripeSide = "Charge", LedgerSide = "None", SuggestedAction = "Explain",
                    Status = MismatchStatus.Explained, ResolutionNote = "Owner's test", FirstRunId = run.Id, LastRunId = run.Id, FirstSeenAt = at.AddHours(-1),
                    LastSeenAt = at,
                });
            await db.SaveChangesAsync();
        }

        using var reader = app.CreateApiClient(await app.CreateApiKeyAsync(null, ApiScopes.BillingRead));
        var all = await reader.GetFromJsonAsync<JsonElement>("/api/v1/reconciliation/mismatches");
        Assert.Equal(2, all.GetProperty("total").GetInt32());
        var open = await reader.GetFromJsonAsync<JsonElement>("/api/v1/reconciliation/mismatches?status=open&pageSize=10");
        var fee = Assert.Single(open.GetProperty("items").EnumerateArray());
        Assert.Equal(("feeNotRecorded", "open", "ch_fee_1"), (fee.GetProperty("kind").GetString(), fee.GetProperty("status").GetString(),
            fee.GetProperty("sourceId").GetString()));
        Assert.Equal((187, 162), (fee.GetProperty("stripeFee").GetProperty("amountMinor").GetInt64(), fee.GetProperty("ledgerFee").GetProperty("amountMinor").GetInt64()));
        var explained = await reader.GetFromJsonAsync<JsonElement>("/api/v1/reconciliation/mismatches?status=Explained&kind=missingInLedger");
        Assert.Equal("Owner's test", explained.GetProperty("items")[0].GetProperty("resolutionNote").GetString());

        using var bad = await reader.GetAsync(new Uri("/api/v1/reconciliation/mismatches?status=closed", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        Assert.Contains("status is one of open", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var stranger = app.CreateApiClient(await app.CreateApiKeyAsync(null, ApiScopes.CreditsRead));
        using var refused = await stranger.GetAsync(new Uri("/api/v1/reconciliation/mismatches", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }
}
