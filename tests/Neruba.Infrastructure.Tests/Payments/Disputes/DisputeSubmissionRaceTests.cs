using Microsoft.EntityFrameworkCore;
using Neruba.Infrastructure.Payments;
using Neruba.Infrastructure.Payments.Disputes;
using Stripe;

namespace Neruba.Infrastructure.Tests.Payments.Disputes;

/// <summary>
/// Submitting evidence races its own webhook: Stripe answers, its "under review" event is processed, and only then does Neruba save. The retried
/// save must still record the one submission; a submission made in Stripe's dashboard is not taken for Neruba's.
/// </summary>
public sealed class DisputeSubmissionRaceTests
{
    [Fact]
    public async Task A_submission_whose_under_review_webhook_was_processed_first_is_recorded_once()
    {
        await using var s = await PaymentScenario.StartAsync();
        var dispute = await s.DisputeAcmeAsync();
        Assert.True((await DisputeEvidenceTests.SaveAsync(s, dispute.Id, DisputeEvidenceTests.Draft("Pro plan"))).Succeeded);

        // What the first try did before losing its save: the submission reached Stripe (same key, same evidence), and the webhook was processed.
        var record = await s.RecordAsync(dispute.Id);
        await SubmitAtStripeAsync(s, record, $"neruba-dispute-submit-{record.Id:N}");
        await s.DeliverAndProcessAsync();
        Assert.Equal((DisputeStatus.UnderReview, (DateTimeOffset?)null), ((await s.RecordAsync(dispute.Id)).Status, (await s.RecordAsync(dispute.Id)).SubmittedAt));

        var submitted = await DisputeEvidenceTests.SubmitAsync(s, dispute.Id);

        Assert.True(submitted.Succeeded, submitted.Message);
        Assert.NotNull((await s.RecordAsync(dispute.Id)).SubmittedAt);
        Assert.Equal(1, DisputeSeed.StripeDispute(s, record.StripeDisputeId)["evidence_details"]!["submission_count"]!.GetValue<int>());
        Assert.False((await DisputeEvidenceTests.SubmitAsync(s, dispute.Id)).Succeeded);
    }

    [Fact]
    public async Task Evidence_submitted_in_Stripes_dashboard_is_not_recorded_as_Neruba_submitting_it()
    {
        await using var s = await PaymentScenario.StartAsync();
        var dispute = await s.DisputeAcmeAsync();
        Assert.True((await DisputeEvidenceTests.SaveAsync(s, dispute.Id, DisputeEvidenceTests.Draft("Pro plan"))).Succeeded);
        await SubmitAtStripeAsync(s, await s.RecordAsync(dispute.Id), "dashboard-submission");
        await s.DeliverAndProcessAsync();

        var submitted = await DisputeEvidenceTests.SubmitAsync(s, dispute.Id);

        Assert.False(submitted.Succeeded);
        Assert.Contains("not submitted", submitted.Message, StringComparison.Ordinal);
        Assert.Null((await s.RecordAsync(dispute.Id)).SubmittedAt);
    }

    private static async Task SubmitAtStripeAsync(PaymentScenario s, DisputeRecord record, string idempotencyKey)
    {
        var connection = await s.Harness.QueryAsync(db => s.Service<StripeGateway>().ConnectAsync(db, s.Harness.ProjectId, CancellationToken.None));
        var text = EvidenceFields.Parse(record.EvidenceDraft);
        await connection!.Client.V1.Disputes.UpdateAsync(record.StripeDisputeId,
            new DisputeUpdateOptions { Evidence = EvidenceFields.Options(text, new Dictionary<string, string>()), Submit = true },
            new RequestOptions { IdempotencyKey = idempotencyKey });
    }
}
