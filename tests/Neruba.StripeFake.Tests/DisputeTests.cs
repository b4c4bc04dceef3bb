using System.Net;
using Stripe;

namespace Neruba.StripeFake.Tests;

public sealed class DisputeTests
{
    [Fact]
    public async Task A_dispute_withdraws_funds_takes_evidence_once_and_is_won()
    {
        await using var h = await Harness.StartAsync();
        var pi = await h.PaidIntentAsync(10_000);
        var id = h.Fake.CreateDispute(pi.LatestChargeId, "fraudulent");

        var dispute = await h.Client.V1.Disputes.GetAsync(id);
        Assert.Equal("needs_response", dispute.Status);
        Assert.Equal(pi.Id, dispute.PaymentIntentId);
        Assert.True(dispute.EvidenceDetails.DueBy > DateTime.UtcNow.AddDays(6));
        var withdrawal = Assert.Single(dispute.BalanceTransactions);
        Assert.Equal(-10_000, withdrawal.Amount);
        Assert.Equal(1_500, withdrawal.Fee);
        await h.WebhookAsync("charge.dispute.created");
        await h.WebhookAsync("charge.dispute.funds_withdrawn");
        Assert.Equal(id, Assert.Single(await h.Client.V1.Disputes.ListAsync(new DisputeListOptions { Charge = pi.LatestChargeId })).Id);

        var upload = await h.Client.V1.Files.CreateAsync(new FileCreateOptions { File = new MultipartFileContent { Data = new MemoryStream([1, 2, 3]), Name = "evidence.pdf", Type = "application/pdf" }, Purpose = "dispute_evidence" });
        var staged = await h.Client.V1.Disputes.UpdateAsync(id, new DisputeUpdateOptions
        {
            Evidence = new DisputeEvidenceOptions { UncategorizedText = "Delivered as invoiced", UncategorizedFile = upload.Id },
            Submit = false,
        });
        Assert.Equal("needs_response", staged.Status);
        Assert.True(staged.EvidenceDetails.HasEvidence);
        var submitted = await h.Client.V1.Disputes.UpdateAsync(id, new DisputeUpdateOptions { Submit = true });
        Assert.Equal("under_review", submitted.Status);
        Assert.Equal("Delivered as invoiced", submitted.Evidence.UncategorizedText);
        var late = await Assert.ThrowsAsync<StripeException>(() => h.Client.V1.Disputes.UpdateAsync(id, new DisputeUpdateOptions { Evidence = new DisputeEvidenceOptions { ProductDescription = "late" } }));
        Assert.Equal(HttpStatusCode.BadRequest, late.HttpStatusCode);

        h.Fake.ResolveDispute(id, DisputeOutcome.Won);
        var won = (Dispute)(await h.WebhookAsync("charge.dispute.funds_reinstated")).Data.Object;
        Assert.Equal("won", won.Status);
        Assert.Equal(10_000, won.BalanceTransactions[^1].Amount);
        await h.WebhookAsync("charge.dispute.closed");
    }

    [Fact]
    public async Task Closing_a_dispute_accepts_the_loss()
    {
        await using var h = await Harness.StartAsync();
        var pi = await h.PaidIntentAsync(10_000);
        var id = h.Fake.CreateDispute(pi.LatestChargeId, "product_not_received", amount: 2_500);
        var closed = await h.Client.V1.Disputes.CloseAsync(id);
        Assert.Equal("lost", closed.Status);
        Assert.Equal(2_500, closed.Amount);
        await Assert.ThrowsAsync<StripeException>(() => h.Client.V1.Disputes.CloseAsync(id));
    }

    [Fact]
    public async Task A_file_upload_goes_to_FilesBase_and_can_be_read_back()
    {
        await using var h = await Harness.StartAsync();
        var file = await h.Client.V1.Files.CreateAsync(new FileCreateOptions { File = new MultipartFileContent { Data = new MemoryStream(new byte[2048]), Name = "receipt.png", Type = "image/png" }, Purpose = "dispute_evidence" });
        Assert.StartsWith("file_", file.Id, StringComparison.Ordinal);
        Assert.Equal(2048, file.Size);
        Assert.Equal("dispute_evidence", (await h.Client.V1.Files.GetAsync(file.Id)).Purpose);
    }
}
