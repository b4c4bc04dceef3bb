using Microsoft.EntityFrameworkCore;
using Neruba.Infrastructure.Payments;
using Neruba.Infrastructure.Payments.Disputes;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Tests.Payments.Disputes;

/// <summary>Evidence is drafted in Neruba, staged at Stripe with submit=false, files go through Stripe's Files API, and Stripe gets one submission.</summary>
public sealed class DisputeEvidenceTests
{
    private static readonly byte[] Pdf = "%PDF-1.4 receipt"u8.ToArray();

    internal static Dictionary<string, string?> Draft(string description) => new() { ["product_description"] = description, ["customer_name"] = "Acme Corp" };

    internal static Task<UseCaseResult<DisputeEvidenceSaved>> SaveAsync(PaymentScenario s, Guid id, Dictionary<string, string?> evidence, Actor? actor = null) =>
        s.Harness.RunAsync<SaveDisputeEvidence, SaveDisputeEvidence.Request, DisputeEvidenceSaved>(actor ?? s.Harness.Admin, new(id, evidence));

    internal static Task<UseCaseResult<DisputeEvidenceSaved>> SubmitAsync(PaymentScenario s, Guid id, Actor? actor = null) =>
        s.Harness.RunAsync<SubmitDisputeEvidence, SubmitDisputeEvidence.Request, DisputeEvidenceSaved>(actor ?? s.Harness.Admin, new(id));

    private static Task<int> AuditCountAsync(PaymentScenario s, string action) =>
        s.Harness.QueryAsync(db => db.AuditEntries.CountAsync(a => a.Action == action && a.TargetType == "dispute"));

    [Fact]
    public async Task A_saved_draft_is_staged_at_Stripe_without_submitting_and_an_unchanged_draft_saves_nothing()
    {
        await using var s = await PaymentScenario.StartAsync();
        var dispute = await s.DisputeAcmeAsync();

        var saved = await SaveAsync(s, dispute.Id, Draft("Pro plan, 250 API calls in the period"));
        Assert.True(saved.Succeeded, saved.Message);
        Assert.Null(saved.Value!.StagingProblem);

        var stripe = DisputeSeed.StripeDispute(s, dispute.StripeDisputeId);
        Assert.Equal("Pro plan, 250 API calls in the period", stripe["evidence"]!["product_description"]!.GetValue<string>());
        Assert.Equal("Acme Corp", stripe["evidence"]!["customer_name"]!.GetValue<string>());
        Assert.Equal("needs_response", stripe["status"]!.GetValue<string>());
        Assert.Equal(0, stripe["evidence_details"]!["submission_count"]!.GetValue<long>());
        var record = await s.RecordAsync(dispute.Id);
        Assert.NotNull(record.StagedAt);
        Assert.Equal("admin@example.test", record.DraftSavedByName);
        Assert.Contains("product_description", record.EvidenceDraft, StringComparison.Ordinal);

        Assert.True((await SaveAsync(s, dispute.Id, Draft("Pro plan, 250 API calls in the period"))).Succeeded);
        Assert.Equal(1, await AuditCountAsync(s, "dispute.evidence_staged"));
        Assert.True((await SaveAsync(s, dispute.Id, Draft("Pro plan, 250 API calls (see log)"))).Succeeded);
        Assert.Equal(2, await AuditCountAsync(s, "dispute.evidence_staged"));
    }

    [Fact]
    public async Task An_unknown_or_too_long_field_is_refused_in_words_and_changes_nothing()
    {
        await using var s = await PaymentScenario.StartAsync();
        var dispute = await s.DisputeAcmeAsync();

        var unknown = await SaveAsync(s, dispute.Id, new() { ["shipping_carrier"] = "DHL" });
        var tooLong = await SaveAsync(s, dispute.Id, new() { ["customer_name"] = new string('x', 5001) });

        Assert.Equal(UseCaseStatus.Invalid, unknown.Status);
        Assert.Contains("not an evidence text field", unknown.Message, StringComparison.Ordinal);
        Assert.Equal(UseCaseStatus.Invalid, tooLong.Status);
        Assert.Contains("at most 5,000 characters", tooLong.Message, StringComparison.Ordinal);
        Assert.Null((await s.RecordAsync(dispute.Id)).DraftSavedAt);
    }

    [Fact]
    public async Task Evidence_of_a_closed_dispute_is_refused_in_words()
    {
        await using var s = await PaymentScenario.StartAsync();
        var dispute = await s.DisputeAcmeAsync();
        await s.Harness.QueryAsync(async db =>
        {
            (await db.Disputes.SingleAsync(d => d.Id == dispute.Id)).Status = DisputeStatus.Lost;
            return await db.SaveChangesAsync();
        });

        var saved = await SaveAsync(s, dispute.Id, Draft("late"));
        var submitted = await SubmitAsync(s, dispute.Id);

        Assert.Equal(UseCaseStatus.Conflict, saved.Status);
        Assert.Equal("The dispute is closed (lost); its evidence can no longer be changed.", saved.Message);
        Assert.Equal(UseCaseStatus.Conflict, submitted.Status);
        Assert.Equal(0, DisputeSeed.StripeDispute(s, dispute.StripeDisputeId)["evidence_details"]!["submission_count"]!.GetValue<long>());
    }

    [Fact]
    public async Task An_uploaded_file_lands_in_Stripe_files_and_in_the_evidence_field()
    {
        await using var s = await PaymentScenario.StartAsync();
        var dispute = await s.DisputeAcmeAsync();

        var uploaded = await s.Harness.RunAsync<UploadDisputeFile, UploadDisputeFile.Request, DisputeEvidenceSaved>(s.Harness.Admin,
            new(dispute.Id, "receipt", "INV-000001.pdf", "application/pdf", Pdf));
        Assert.True(uploaded.Succeeded, uploaded.Message);

        var fileId = uploaded.Value!.File!.StripeFileId;
        Assert.StartsWith("file_", fileId, StringComparison.Ordinal);
        var file = System.Text.Json.Nodes.JsonNode.Parse(s.Fake.GetObjectJson(fileId)!)!;
        Assert.Equal("dispute_evidence", file["purpose"]!.GetValue<string>());
        Assert.Equal(Pdf.Length, file["size"]!.GetValue<long>());
        Assert.Equal(fileId, DisputeSeed.StripeDispute(s, dispute.StripeDisputeId)["evidence"]!["receipt"]!.GetValue<string>());
        var stored = await s.Harness.QueryAsync(db => db.DisputeFiles.SingleAsync(f => f.DisputeId == dispute.Id));
        Assert.Equal(("receipt", "INV-000001.pdf", fileId), (stored.EvidenceField, stored.FileName, stored.StripeFileId));
        Assert.Equal(1, await AuditCountAsync(s, "dispute.file_uploaded"));

        // A later text save keeps the file attached.
        Assert.True((await SaveAsync(s, dispute.Id, Draft("Pro plan"))).Succeeded);
        Assert.Equal(fileId, DisputeSeed.StripeDispute(s, dispute.StripeDisputeId)["evidence"]!["receipt"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("receipt", "text/html", 10, "upload a PDF, PNG or JPEG")]
    [InlineData("receipt", "application/pdf", 5 * 1024 * 1024 + 1, "at most 5 MB")]
    [InlineData("product_description", "application/pdf", 10, "Choose where the file goes")]
    public async Task A_file_of_the_wrong_kind_size_or_field_is_refused_in_words(string field, string contentType, int size, string words)
    {
        await using var s = await PaymentScenario.StartAsync();
        var dispute = await s.DisputeAcmeAsync();

        var result = await s.Harness.RunAsync<UploadDisputeFile, UploadDisputeFile.Request, DisputeEvidenceSaved>(s.Harness.Admin,
            new(dispute.Id, field, "x.bin", contentType, new byte[size]));

        Assert.Equal(UseCaseStatus.Invalid, result.Status);
        Assert.Contains(words, result.Message, StringComparison.Ordinal);
        Assert.Equal(0, await s.Harness.QueryAsync(db => db.DisputeFiles.CountAsync()));
    }

    [Fact]
    public async Task Evidence_is_submitted_once_and_a_second_submit_or_a_later_change_is_refused_in_words()
    {
        await using var s = await PaymentScenario.StartAsync();
        var dispute = await s.DisputeAcmeAsync();
        Assert.True((await SaveAsync(s, dispute.Id, Draft("Pro plan"))).Succeeded);

        var submitted = await SubmitAsync(s, dispute.Id);
        Assert.True(submitted.Succeeded, submitted.Message);
        var stripe = DisputeSeed.StripeDispute(s, dispute.StripeDisputeId);
        Assert.Equal("under_review", stripe["status"]!.GetValue<string>());
        Assert.Equal(1, stripe["evidence_details"]!["submission_count"]!.GetValue<long>());

        var again = await SubmitAsync(s, dispute.Id);
        Assert.Equal(UseCaseStatus.Conflict, again.Status);
        Assert.Contains("Stripe accepts one submission", again.Message, StringComparison.Ordinal);
        var change = await SaveAsync(s, dispute.Id, Draft("Something else"));
        Assert.Equal(UseCaseStatus.Conflict, change.Status);
        Assert.Contains("can no longer be changed", change.Message, StringComparison.Ordinal);

        Assert.Equal(1, DisputeSeed.StripeDispute(s, dispute.StripeDisputeId)["evidence_details"]!["submission_count"]!.GetValue<long>());
        Assert.Equal(1, await AuditCountAsync(s, "dispute.evidence_submitted"));
        Assert.Equal(submitted.Value!.SubmittedAt, (await s.RecordAsync(dispute.Id)).SubmittedAt);
    }

    [Fact]
    public async Task Without_Stripe_the_draft_is_kept_in_Neruba_and_submitting_says_Stripe_is_not_configured()
    {
        await using var s = await PaymentScenario.StartAsync();
        var dispute = await s.DisputeAcmeAsync();
        await s.Harness.QueryAsync(async db =>
        {
            db.StripeAccounts.Remove(await db.StripeAccounts.SingleAsync());
            return await db.SaveChangesAsync();
        });

        var saved = await SaveAsync(s, dispute.Id, Draft("Pro plan"));
        var submitted = await SubmitAsync(s, dispute.Id);

        Assert.True(saved.Succeeded, saved.Message);
        Assert.Equal(StripeGateway.NotConfigured, saved.Value!.StagingProblem);
        Assert.Null((await s.RecordAsync(dispute.Id)).StagedAt);
        Assert.Equal(UseCaseStatus.Conflict, submitted.Status);
        Assert.Equal(StripeGateway.NotConfigured, submitted.Message);
        Assert.Null((await s.RecordAsync(dispute.Id)).SubmittedAt);
    }
}
