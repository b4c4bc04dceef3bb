using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Neruba.Domain.Access;
using Neruba.Infrastructure.Access.Members;
using Neruba.Infrastructure.Billing.Corrections;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Metering;
using Neruba.Infrastructure.Tests.Billing;
using Neruba.Infrastructure.Tests.Metering;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Tests.Corrections;

/// <summary>The holes an outside review found in the corrections, each tried again: every one must now be refused.</summary>
public class CorrectionAttackTests
{
    private static Task<UseCaseResult<InvoiceSummaryState>> WriteOffAsync(CorrectionScenario s, string invoice) =>
        s.Harness.RunAsync<MarkInvoiceUncollectible, MarkInvoiceUncollectible.Request, InvoiceSummaryState>(s.Harness.Admin, new(invoice, "Gone"));

    [Fact]
    public async Task A_written_off_invoice_cannot_be_credited_into_the_wallet_nor_its_earlier_credit_note_voided()
    {
        var s = await CorrectionScenario.StartAsync();
        await using var _ = s.Harness;
        var note = (await s.CreditAsync(s.Globex, flat: "10.00")).Value!;
        Assert.True((await WriteOffAsync(s, s.Acme)).Succeeded);
        Assert.True((await WriteOffAsync(s, s.Globex)).Succeeded);

        var credit = await s.CreditAsync(s.Acme, flat: "50.50");
        var voidNote = await s.Harness.RunAsync<VoidCreditNote, VoidCreditNote.Request, InvoiceSummaryState>(s.Harness.Admin, new(note.Number, "x"));

        Assert.Equal(UseCaseStatus.Conflict, credit.Status);
        Assert.Contains("written off", credit.Message, StringComparison.Ordinal);
        Assert.Equal(UseCaseStatus.Conflict, voidNote.Status);
        Assert.Equal(0, await s.Harness.QueryAsync(db => db.CreditBlocks.CountAsync(b => b.Source == Domain.Ledger.CreditSource.CreditNote)));
    }

    [Fact]
    public async Task A_line_credited_by_amount_cannot_be_credited_again_by_quantity_beyond_what_is_left_nor_by_units_worth_nothing()
    {
        var s = await CorrectionScenario.StartAsync();
        await using var _ = s.Harness;
        // 0.4 of a unit at 0.01 is 0.004 USD: nothing to credit.
        var worthNothing = await s.CreditAsync(s.Acme, [new LineCreditInput(1, "0.4", null)]);
        Assert.True((await s.CreditAsync(s.Acme, [new LineCreditInput(1, null, "1.50")])).Succeeded);

        var byQuantity = await s.CreditAsync(s.Acme, [new LineCreditInput(1, "100", null)]);

        Assert.Equal("Line 2: 'api_calls, Pro v1' has nothing left to credit.", byQuantity.Message);
        Assert.Contains("round to nothing", worthNothing.Message, StringComparison.Ordinal);
        Assert.Equal(150, (await s.InvoiceAsync(s.Acme)).CreditedTotal);
    }

    [Fact]
    public async Task An_older_rerun_cannot_be_committed_after_a_newer_one_and_a_reissue_never_bills_a_supplemental_part_twice()
    {
        var s = await CorrectionScenario.StartAsync();
        await using var _ = s.Harness;
        var at = s.LastMonth.AddDays(9).ToString("O");
        await IngestStoreTests.IngestAsync(s.Harness, [.. Enumerable.Range(1, 50).Select(i => new IncomingEvent($"a{i}", "cus_acme", "api_calls", at, null))]);
        var older = await BillingRunTests.RerunAsync(s.Harness, s.LastMonth);
        s.Harness.Clock.Advance(TimeSpan.FromMinutes(1));
        await IngestStoreTests.IngestAsync(s.Harness, [.. Enumerable.Range(1, 100).Select(i => new IncomingEvent($"b{i}", "cus_acme", "api_calls", at, null))]);
        var newer = await BillingRunTests.RerunAsync(s.Harness, s.LastMonth);

        var stale = await s.Harness.RunAsync<ProposeRerunCommit, ProposeRerunCommit.Request, RerunCommitView>(s.Harness.Admin, new(older.Id, null));
        var commit = await s.Harness.ValueAsync<ProposeRerunCommit, ProposeRerunCommit.Request, RerunCommitView>(new(newer.Id, null));
        await s.Harness.Services.GetRequiredService<RerunCommitJob>().RunAsync(commit.Id, CancellationToken.None);
        var reissue = await s.Harness.RunAsync<VoidAndReissueInvoice, VoidAndReissueInvoice.Request, InvoiceReissued>(s.Harness.Admin,
            new(s.Acme, "Redo", true, null));

        Assert.Equal(UseCaseStatus.Conflict, stale.Status);
        Assert.Contains("newer rerun", stale.Message, StringComparison.Ordinal);
        Assert.Equal(UseCaseStatus.Conflict, reissue.Status);
        Assert.Contains("also bill this month", reissue.Message, StringComparison.Ordinal);
        Assert.Equal(InvoiceStatus.Finalized, (await s.InvoiceAsync(s.Acme)).Status);
    }

    [Fact]
    public async Task A_commit_issues_only_what_was_approved_and_a_month_changed_since_fails_in_words()
    {
        var s = await CorrectionScenario.StartAsync();
        await using var _ = s.Harness;
        await s.Harness.QueryAsync(async db =>
        {
            (await db.Projects.SingleAsync(p => p.Id == s.Harness.ProjectId)).ChangeCorrectionThreshold(0);
            return await db.SaveChangesAsync();
        });
        var at = s.LastMonth.AddDays(9).ToString("O");
        await IngestStoreTests.IngestAsync(s.Harness, [.. Enumerable.Range(1, 50).Select(i => new IncomingEvent($"a{i}", "cus_acme", "api_calls", at, null))]);
        var rerun = await BillingRunTests.RerunAsync(s.Harness, s.LastMonth);
        var commit = await s.Harness.ValueAsync<ProposeRerunCommit, ProposeRerunCommit.Request, RerunCommitView>(new(rerun.Id, null));

        // While the commit waits, Finance reissues the invoice with another price: the approved 0.50 no longer matches the month.
        Assert.True((await s.Harness.RunAsync<VoidAndReissueInvoice, VoidAndReissueInvoice.Request, InvoiceReissued>(s.Harness.Admin,
            new(s.Acme, "Price", false, [new LineAdjustmentInput(0, "59.00", null, "New price")]))).Succeeded);
        var finance = await s.Harness.AddPersonAsync("fin@example.com", ProjectRole.Finance);
        await s.Harness.ValueAsync<DecideRerunCommit, DecideRerunCommit.Request, RerunCommitView>(new(commit.Id, true, "ok"), finance);
        await s.Harness.Services.GetRequiredService<RerunCommitJob>().RunAsync(commit.Id, CancellationToken.None);

        var view = (await s.Harness.ValueAsync<PlanRerunCommit, PlanRerunCommit.Request, RerunCommitPlan>(new(rerun.Id))).Existing!;
        Assert.Equal((RerunCommitStatus.CompletedWithFailures, 1), (view.Status, view.Failed));
        Assert.Contains("changed since the commit was proposed", Assert.Single(view.Failures).Error, StringComparison.Ordinal);
        Assert.Equal(0, await s.Harness.QueryAsync(db => db.CreditNotes.CountAsync()));
        Assert.Equal(0, await s.Harness.QueryAsync(db => db.Invoices.CountAsync(i => i.Kind == InvoiceKind.Supplemental)));
    }

    [Fact]
    public async Task An_api_key_can_do_no_more_than_its_owner_may_today()
    {
        var s = await CorrectionScenario.StartAsync();
        await using var _ = s.Harness;
        var owner = await s.Harness.AddPersonAsync("keyowner@example.com", ProjectRole.Finance);
        var key = Actor.Key(Guid.NewGuid(), "owner's key", s.Harness.ProjectId, [ApiScopes.BillingWrite], owner.Id);
        Assert.True((await s.CreditAsync(s.Acme, flat: "1.00", actor: key)).Succeeded);

        var membership = await s.Harness.QueryAsync(db => db.ProjectMemberships.Where(m => m.UserId == owner.Id).Select(m => m.Id).SingleAsync());
        Assert.True((await s.Harness.RunAsync<ChangeMemberRole, ChangeMemberRole.Request, MemberView>(s.Harness.Admin, new(membership, ProjectRole.Viewer))).Succeeded);
        var demoted = await s.CreditAsync(s.Acme, flat: "1.00", actor: key);

        Assert.Equal(UseCaseStatus.Forbidden, demoted.Status);
        Assert.Contains("created this API key no longer has", demoted.Message, StringComparison.Ordinal);
        Assert.Equal(100, (await s.InvoiceAsync(s.Acme)).CreditedTotal);
    }
}
