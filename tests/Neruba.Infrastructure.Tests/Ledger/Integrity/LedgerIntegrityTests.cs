using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Neruba.Domain.Audit;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Billing.Corrections;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Credits;
using Neruba.Infrastructure.Ledger;
using Neruba.Infrastructure.Ledger.Integrity;
using Neruba.Infrastructure.Tests.Corrections;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Tests.Ledger.Integrity;

/// <summary>The money-integrity check: silent on a busy, correct ledger; names each kind of damage done behind the ledger's back.</summary>
public class LedgerIntegrityTests
{
    [Fact]
    public async Task A_ledger_with_invoices_credits_credit_notes_payments_and_a_void_and_reissue_passes_and_the_check_is_recorded()
    {
        var s = await BusyLedgerAsync();
        await using var _ = s.Harness;

        var result = await Integrity(s).CheckProjectAsync(s.Harness.ProjectId, LedgerIntegrityTriggers.CommandLine, "ops@example.test", default);

        Assert.True(result.Passed, string.Join(Environment.NewLine, result.Problems.Select(p => p.Words)));
        var stored = await s.Harness.QueryAsync(db => db.LedgerIntegrityChecks.AsNoTracking().SingleAsync());
        Assert.Equal((LedgerIntegrityStatus.Passed, 0, "command line", "ops@example.test"),
            (stored.Status, stored.ProblemCount, stored.Trigger, stored.RequestedByName));
        Assert.True(stored.InvoicesChecked >= 3 && stored.WalletsChecked >= 2 && stored.EntriesChecked > 8, $"{stored.InvoicesChecked} {stored.WalletsChecked} {stored.EntriesChecked}");
    }

    [Fact]
    public async Task Damage_done_behind_the_ledgers_back_is_named_with_the_offending_ids_and_another_project_stays_clean()
    {
        var s = await BusyLedgerAsync();
        await using var _ = s.Harness;
        var invoice = await s.InvoiceAsync(s.Acme);
        var issued = await s.Harness.QueryAsync(db => db.JournalEntries.Include(e => e.Postings).AsNoTracking()
            .SingleAsync(e => e.Kind == EntryKind.InvoiceIssued && e.Link == InvoicePosting.Link(invoice.Id)));
        // The block the invoice drew from: without its grant posting it holds less than nothing.
        var drawnBlock = invoice.Draft.Credits[0].BlockId;
        var grantPosting = await s.Harness.QueryAsync(db => db.Postings.Where(p => p.CreditBlockId == drawnBlock && p.Amount < 0)
            .Select(p => new { p.Id, p.CreditBlockId, p.EntryId }).SingleAsync());
        var other = await s.Harness.AdminOfAnotherProjectAsync();

        await s.Harness.QueryAsync(async db =>
        {
            // An extra posting on the invoice's entry (its entry no longer balances), a wallet posting stripped of its block, the invoice posted twice.
            await db.Database.ExecuteSqlRawAsync("INSERT INTO Postings (Id, EntryId, AccountId, Amount, Currency, CreditBlockId) VALUES ({0}, {1}, {2}, 7, 'USD', NULL)",
                Guid.NewGuid(), issued.Id, issued.Postings[1].AccountId);
            await db.Database.ExecuteSqlRawAsync("UPDATE Postings SET CreditBlockId = NULL WHERE Id = {0}", grantPosting.Id);
            var receivable = await db.LedgerAccounts.SingleAsync(a => a.Id == issued.Postings[0].AccountId);
            var revenue = await db.LedgerAccounts.SingleAsync(a => a.Id == issued.Postings[1].AccountId);
            db.JournalEntries.Add(CreditPostings.InvoiceIssued(new PostingContext(s.Harness.ProjectId, "tampered-twice", s.Harness.Clock.GetUtcNow(),
                ActorKind.System, "x", "x", "twice"), receivable, revenue, invoice.Subtotal, InvoicePosting.Link(invoice.Id)));
            return await db.SaveChangesAsync();
        });

        var result = await Integrity(s).CheckProjectAsync(s.Harness.ProjectId, LedgerIntegrityTriggers.Schedule, "Neruba", default);
        var clean = await Integrity(s).CheckProjectAsync(other.ProjectId, LedgerIntegrityTriggers.Schedule, "Neruba", default);

        Assert.Equal(LedgerIntegrityStatus.Failed, result.Record.Status);
        Assert.Contains(result.Problems, p => p.Kind == LedgerProblemKind.UnbalancedEntry && p.Id == issued.Id.ToString());
        Assert.Contains(result.Problems, p => p.Kind == LedgerProblemKind.WalletWithoutBlock && p.Id == grantPosting.EntryId.ToString());
        Assert.Contains(result.Problems, p => p.Kind == LedgerProblemKind.BlockOutOfRange && p.Id == grantPosting.CreditBlockId.ToString());
        Assert.Contains(result.Problems, p => p.Kind == LedgerProblemKind.InvoicePosting && p.Id == s.Acme && p.Words.Contains("2 times", StringComparison.Ordinal));
        var stored = await s.Harness.QueryAsync(db => db.LedgerIntegrityChecks.AsNoTracking().SingleAsync(c => c.ProjectId == s.Harness.ProjectId));
        Assert.Equal(result.Problems.Count, stored.ProblemCount);
        Assert.Equal(result.Problems, LedgerIntegrityCheck.ProblemsOf(stored));
        Assert.True(clean.Passed);
    }

    [Fact]
    public async Task A_posting_in_another_currency_than_its_account_is_named()
    {
        var s = await BusyLedgerAsync();
        await using var _ = s.Harness;
        var entry = await s.Harness.QueryAsync(db => db.JournalEntries.Include(e => e.Postings).AsNoTracking().FirstAsync(e => e.Kind == EntryKind.InvoiceIssued));
        await s.Harness.QueryAsync(db => db.Database.ExecuteSqlRawAsync("UPDATE Postings SET Currency = 'EUR' WHERE EntryId = {0}", entry.Id));

        var result = await Integrity(s).CheckProjectAsync(s.Harness.ProjectId, LedgerIntegrityTriggers.Schedule, "Neruba", default);

        Assert.Contains(result.Problems, p => p.Kind == LedgerProblemKind.PostingAccountMismatch && p.Id == entry.Id.ToString()
            && p.Words.Contains("EUR to a USD account", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Check_now_is_open_to_every_member_and_refuses_a_second_check_within_a_minute_without_recording_it()
    {
        var s = await BusyLedgerAsync();
        await using var _ = s.Harness;
        var viewer = await s.Harness.AddPersonAsync("viewer@example.test", Domain.Access.ProjectRole.Viewer);

        var first = await s.Harness.RunAsync<CheckLedgerIntegrity, CheckLedgerIntegrity.Request, LedgerIntegrityView>(viewer, new());
        var second = await s.Harness.RunAsync<CheckLedgerIntegrity, CheckLedgerIntegrity.Request, LedgerIntegrityView>(s.Harness.Admin, new());
        s.Harness.Clock.Advance(TimeSpan.FromSeconds(61));
        var third = await s.Harness.RunAsync<CheckLedgerIntegrity, CheckLedgerIntegrity.Request, LedgerIntegrityView>(s.Harness.Admin, new());

        Assert.True(first.Succeeded, first.Message);
        Assert.Equal((LedgerIntegrityStatus.Passed, "console", "viewer@example.test"), (first.Value!.Status, first.Value.Trigger, first.Value.RequestedByName));
        Assert.Equal(UseCaseStatus.Conflict, second.Status);
        Assert.Contains("less than a minute ago", second.Message, StringComparison.Ordinal);
        Assert.True(third.Succeeded, third.Message);
        Assert.Equal(2, await s.Harness.QueryAsync(db => db.LedgerIntegrityChecks.CountAsync()));
    }

    /// <summary>Acme credited and paid, Globex voided and reissued, a support grant on Acme's wallet.</summary>
    private static async Task<CorrectionScenario> BusyLedgerAsync()
    {
        var s = await CorrectionScenario.StartAsync();
        var grant = await s.Harness.RunAsync<RequestCreditGrant, RequestCreditGrant.Request, CreditGrantView>(s.Harness.Admin,
            new("cus_acme", "20.00", "USD", "goodwill", "Sorry for the outage", null));
        Assert.True(grant.Succeeded, grant.Message);
        Assert.True((await s.CreditAsync(s.Acme, flat: "10.00")).Succeeded);
        Assert.True((await s.PayAsync(s.Acme, "35.50")).Succeeded);
        var reissued = await s.Harness.RunAsync<VoidAndReissueInvoice, VoidAndReissueInvoice.Request, InvoiceReissued>(s.Harness.Admin,
            new(s.Globex, "Wrong plan", true, null));
        Assert.True(reissued.Succeeded, reissued.Message);
        return s;
    }

    private static LedgerIntegrity Integrity(CorrectionScenario s) => s.Harness.Services.GetRequiredService<LedgerIntegrity>();
}
