using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Infrastructure.Payments.Disputes;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Tests.Payments.Disputes;

/// <summary>Accepting closes the dispute at Stripe; above the threshold a second Finance member must approve, never the requester.</summary>
public sealed class DisputeAcceptTests
{
    private static Task<UseCaseResult<DisputeAcceptView>> AcceptAsync(PaymentScenario s, Guid id, Actor actor) =>
        s.Harness.RunAsync<AcceptDispute, AcceptDispute.Request, DisputeAcceptView>(actor, new(id, "The customer never used the service; not worth fighting"));

    private static Task<UseCaseResult<DisputeAcceptView>> DecideAsync(PaymentScenario s, Guid id, Actor actor, bool approve) =>
        s.Harness.RunAsync<DecideDisputeAccept, DecideDisputeAccept.Request, DisputeAcceptView>(actor, new(id, approve, "Checked"));

    private static Task<int> SetThresholdAsync(PaymentScenario s, long minor) => s.Harness.QueryAsync(async db =>
    {
        (await db.Projects.SingleAsync(p => p.Id == s.Harness.ProjectId)).ChangeCorrectionThreshold(minor);
        return await db.SaveChangesAsync();
    });

    private static async Task AssertAuditedAsync(PaymentScenario s, params string[] expected)
    {
        var actions = await s.Harness.QueryAsync(db => db.AuditEntries.Where(a => a.TargetType == "dispute").Select(a => a.Action).ToListAsync());
        Assert.All(expected, action => Assert.Contains(action, actions));
    }

    private static string StripeStatus(PaymentScenario s, DisputeRecord d) => DisputeSeed.StripeDispute(s, d.StripeDisputeId)["status"]!.GetValue<string>();

    [Fact]
    public async Task Below_the_threshold_accepting_closes_the_dispute_at_Stripe_at_once_and_evidence_is_refused_afterwards()
    {
        await using var s = await PaymentScenario.StartAsync();
        var dispute = await s.DisputeAcmeAsync();

        var accepted = await AcceptAsync(s, dispute.Id, s.Harness.Admin);

        Assert.True(accepted.Succeeded, accepted.Message);
        Assert.Equal("lost", StripeStatus(s, dispute));
        var record = await s.RecordAsync(dispute.Id);
        Assert.Equal("admin@example.test", record.AcceptedByName);
        Assert.Equal(DisputeStatus.NeedsResponse, record.Status); // the closed webhook moves it and posts the loss
        Assert.Single(await s.Harness.QueryAsync(db => db.AuditEntries.Where(a => a.Action == "dispute.accepted" && a.TargetId == dispute.StripeDisputeId).ToListAsync()));

        var evidence = await DisputeEvidenceTests.SaveAsync(s, dispute.Id, DisputeEvidenceTests.Draft("late"));
        Assert.Equal(UseCaseStatus.Conflict, evidence.Status);
        Assert.Contains("accepted", evidence.Message, StringComparison.Ordinal);
        Assert.Equal(UseCaseStatus.Conflict, (await AcceptAsync(s, dispute.Id, s.Harness.Admin)).Status);
    }

    [Fact]
    public async Task Above_the_threshold_a_second_Finance_member_approves_and_the_requester_cannot_even_with_their_API_key()
    {
        await using var s = await PaymentScenario.StartAsync();
        var dispute = await s.DisputeAcmeAsync();
        await SetThresholdAsync(s, 1000);
        var requester = await s.Harness.AddPersonAsync("first@example.com", ProjectRole.Finance);
        var second = await s.Harness.AddPersonAsync("second@example.com", ProjectRole.Finance);
        var requestersKey = Actor.Key(Guid.NewGuid(), "first's key", s.Harness.ProjectId, [ApiScopes.BillingWrite], requester.Id);

        var requested = await AcceptAsync(s, dispute.Id, requester);
        Assert.True(requested.Succeeded, requested.Message);
        Assert.Equal(("first@example.com", (DateTimeOffset?)null), (requested.Value!.RequestedByName, requested.Value.AcceptedAt));
        Assert.Equal("needs_response", StripeStatus(s, dispute));

        var byKey = await DecideAsync(s, dispute.Id, requestersKey, approve: true);
        var byConsole = await DecideAsync(s, dispute.Id, requester, approve: true);
        Assert.Equal(UseCaseStatus.Forbidden, byKey.Status);
        Assert.Contains("another Finance member must approve", byKey.Message, StringComparison.Ordinal);
        Assert.Equal(UseCaseStatus.Forbidden, byConsole.Status);
        Assert.Equal(UseCaseStatus.Conflict, (await AcceptAsync(s, dispute.Id, second)).Status);
        Assert.Equal("needs_response", StripeStatus(s, dispute));

        var approved = await DecideAsync(s, dispute.Id, second, approve: true);
        Assert.True(approved.Succeeded, approved.Message);
        Assert.Equal("lost", StripeStatus(s, dispute));
        Assert.Equal("second@example.com", (await s.RecordAsync(dispute.Id)).AcceptedByName);
        await AssertAuditedAsync(s, "dispute.accept_requested", "dispute.accept_approved");
    }

    [Fact]
    public async Task A_request_can_be_rejected_by_another_member_or_withdrawn_by_the_requester_and_nothing_closes()
    {
        await using var s = await PaymentScenario.StartAsync();
        var dispute = await s.DisputeAcmeAsync();
        await SetThresholdAsync(s, 1000);
        var requester = await s.Harness.AddPersonAsync("first@example.com", ProjectRole.Finance);

        Assert.True((await AcceptAsync(s, dispute.Id, requester)).Succeeded);
        Assert.True((await DecideAsync(s, dispute.Id, s.Harness.Admin, approve: false)).Succeeded);
        Assert.Null((await s.RecordAsync(dispute.Id)).AcceptRequestedById);
        Assert.True((await AcceptAsync(s, dispute.Id, requester)).Succeeded);
        Assert.True((await DecideAsync(s, dispute.Id, requester, approve: false)).Succeeded);

        Assert.Null((await s.RecordAsync(dispute.Id)).AcceptRequestedById);
        Assert.Equal("needs_response", StripeStatus(s, dispute));
        await AssertAuditedAsync(s, "dispute.accept_rejected", "dispute.accept_withdrawn");
    }

    [Fact]
    public async Task A_dispute_of_another_project_cannot_be_read_or_acted_on()
    {
        await using var s = await PaymentScenario.StartAsync();
        var dispute = await s.DisputeAcmeAsync();
        var elsewhere = await s.Harness.AdminOfAnotherProjectAsync();

        var read = await s.Harness.RunAsync<GetDispute, GetDispute.Request, DisputeDetails>(elsewhere, new(dispute.Id));
        var list = await s.Harness.RunAsync<ListDisputes, ListDisputes.Request, PageOf<DisputeSummary>>(elsewhere, new(DisputeFilter.All, null, 0, 25));
        var save = await DisputeEvidenceTests.SaveAsync(s, dispute.Id, DisputeEvidenceTests.Draft("x"), elsewhere);
        var submit = await DisputeEvidenceTests.SubmitAsync(s, dispute.Id, elsewhere);
        var accept = await AcceptAsync(s, dispute.Id, elsewhere);
        var note = await s.Harness.RunAsync<AddDisputeNote, AddDisputeNote.Request, DisputeNoteView>(elsewhere, new(dispute.Id, "peek"));

        Assert.All(new[] { read.Status, save.Status, submit.Status, accept.Status, note.Status }, status => Assert.Equal(UseCaseStatus.NotFound, status));
        Assert.Empty(list.Value!.Items);
        Assert.Equal("needs_response", StripeStatus(s, dispute));
        Assert.Equal(0, await s.Harness.QueryAsync(db => db.DisputeNotes.CountAsync()));
    }

    [Fact]
    public async Task The_dispute_view_gathers_customer_invoice_payments_notes_newest_first_and_its_audit_trail()
    {
        await using var s = await PaymentScenario.StartAsync();
        var dispute = await s.DisputeAcmeAsync(reason: "product_not_received");
        foreach (var text in new[] { "Called the customer", "They say they never signed up" })
        {
            Assert.True((await s.Harness.RunAsync<AddDisputeNote, AddDisputeNote.Request, DisputeNoteView>(s.Harness.Admin, new(dispute.Id, text))).Succeeded);
            s.Harness.Clock.Advance(TimeSpan.FromMinutes(5));
        }

        var view = await s.Harness.ValueAsync<GetDispute, GetDispute.Request, DisputeDetails>(new(dispute.Id));

        var acme = await s.Harness.QueryAsync(db => db.Customers.Where(c => c.ExternalId == "cus_acme").Select(c => c.Name).SingleAsync());
        Assert.Equal(acme, view.Summary.CustomerName);
        Assert.Equal(s.Billing.Acme, view.Summary.InvoiceNumber);
        Assert.Equal("Product not received", view.Summary.ReasonText);
        Assert.Equal("Needs response", view.Summary.StatusText);
        Assert.EndsWith(" h left", view.Summary.TimeLeft, StringComparison.Ordinal);
        Assert.Single(view.Payments);
        Assert.Equal(["They say they never signed up", "Called the customer"], view.Notes.Select(n => n.Text));
        Assert.Equal(2, view.Audit.Count(a => a.Action == "dispute.note_added"));
        Assert.True(view.StripeConfigured);
        Assert.Null(view.Evidence.Refusal);
        Assert.False(view.Accept.NeedsApproval);
    }
}
