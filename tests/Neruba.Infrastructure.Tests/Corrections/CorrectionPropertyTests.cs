using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Neruba.Domain.Audit;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Billing.Corrections;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Ledger;

namespace Neruba.Infrastructure.Tests.Corrections;

/// <summary>
/// Random sequences of pay, credit (flat, per line, with refunds), void credit note, void, void and reissue, write-off and wallet spending,
/// run against the real ledger. After every step, accepted or refused: every entry balances, no invoice owes a negative amount, credited ≤ total,
/// refunded ≤ paid, no block is negative, each invoice's figures equal its ledger postings, and a void gives back exactly what the invoice drew.
/// </summary>
public class CorrectionPropertyTests
{
    [Theory]
    [InlineData(11)]
    [InlineData(29)]
    [InlineData(47)]
    [InlineData(83)]
    public async Task Any_sequence_of_corrections_keeps_the_money_rules(int seed)
    {
        var s = await CorrectionScenario.StartAsync();
        await using var _ = s.Harness;
        var random = new Random(seed);
        var log = new List<string>();
        for (var step = 0; step < 40; step++)
        {
            // Mostly live invoices (a void one refuses nearly everything), now and then a void one to check that it does.
            var invoices = await s.Harness.QueryAsync(db => db.Invoices.AsNoTracking().OrderBy(i => i.Sequence).ToListAsync());
            var live = invoices.Where(i => i.Status != InvoiceStatus.Void).ToList();
            var pool = live.Count > 0 && random.Next(10) > 0 ? live : invoices;
            var invoice = pool[random.Next(pool.Count)];
            var action = Weighted[random.Next(Weighted.Length)];
            log.Add($"{action} on {invoice.Number}: {await ActAsync(s, random, invoice, action)}");
            await AssertMoneyRulesAsync(s, $"seed {seed}, after: {string.Join(" | ", log)}");
        }

        // The sequence did move money, not only collect refusals.
        Assert.True(log.Count(l => l.EndsWith(": ok", StringComparison.Ordinal)) >= 5, string.Join(" | ", log));

        // And the ledger the sequence left passes the same integrity check the readiness page runs.
        await Ledger.Integrity.LedgerIntegrityAssert.PassesAsync(s.Harness);
    }

    /// <summary>Pay, credit flat, credit a line, void a note, void, reissue, write off, spend: voids and write-offs rarer, as they end an invoice's story.</summary>
    private static readonly int[] Weighted = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 4, 5, 5, 5, 6, 7, 7, 7];

    private static async Task<string> ActAsync(CorrectionScenario s, Random random, InvoiceRecord invoice, int action)
    {
        string Amount(long max) => (Math.Max(1, random.NextInt64(1, Math.Max(2, max + 1))) / 100m).ToString("0.00", CultureInfo.InvariantCulture);
        switch (action)
        {
            case 0:
                return Describe(await s.PayAsync(invoice.Number, Amount(invoice.AmountDue + (random.Next(4) == 0 ? 200 : 0)), $"T{random.Next()}"));
            case 1:
                return Describe(await s.CreditAsync(invoice.Number, flat: Amount(invoice.Subtotal - invoice.CreditedTotal + 100),
                    refund: random.Next(3) == 0 ? Amount(invoice.PaidTotal + 100) : null));
            case 2:
                var line = random.Next(Math.Max(1, invoice.Draft.Lines.Count));
                return Describe(await s.CreditAsync(invoice.Number, [random.Next(2) == 0
                    ? new LineCreditInput(line, null, Amount(invoice.Draft.Lines.ElementAtOrDefault(line)?.Amount ?? 100))
                    : new LineCreditInput(line, random.Next(1, 60).ToString(CultureInfo.InvariantCulture), null)]));
            case 3:
                var number = await s.Harness.QueryAsync(db => db.CreditNotes.Where(n => n.InvoiceId == invoice.Id).Select(n => n.Sequence).FirstOrDefaultAsync());
                return number == 0 ? "no note" : Describe(await s.Harness.RunAsync<VoidCreditNote, VoidCreditNote.Request, InvoiceSummaryState>(s.Harness.Admin,
                    new(CreditNoteRecord.FormatNumber(number), "Mistake")));
            case 4:
                var before = await s.BlocksAsync(invoice.CustomerId);
                var voided = await s.Harness.RunAsync<VoidInvoice, VoidInvoice.Request, InvoiceSummaryState>(s.Harness.Admin, new(invoice.Number, "Wrong"));
                if (voided.Succeeded)
                {
                    var after = await s.BlocksAsync(invoice.CustomerId);
                    foreach (var block in before.Keys)
                    {
                        Assert.Equal(before[block] + invoice.Draft.Credits.Where(c => c.BlockId == block).Sum(c => c.Amount), after[block]);
                    }
                }

                return Describe(voided);
            case 5:
                return Describe(await s.Harness.RunAsync<VoidAndReissueInvoice, VoidAndReissueInvoice.Request, InvoiceReissued>(s.Harness.Admin,
                    random.Next(2) == 0 ? new(invoice.Number, "Redo", true, null) : new(invoice.Number, "Adjust", false, [new LineAdjustmentInput(0, Amount(6000), null, "Price")])));
            case 6:
                return Describe(await s.Harness.RunAsync<MarkInvoiceUncollectible, MarkInvoiceUncollectible.Request, InvoiceSummaryState>(s.Harness.Admin,
                    new(invoice.Number, "Gone")));
            default:
                var spent = await s.Harness.Services.GetRequiredService<WalletWriter>().ConsumeAsync(new PostingContext(s.Harness.ProjectId, $"spend-{random.Next()}",
                    s.Harness.Clock.GetUtcNow(), ActorKind.System, "test", "test", "Usage paid from the wallet"), invoice.CustomerId, "USD", random.Next(1, 800), null);
                return $"spent {spent.Entry?.Postings.Where(p => p.CreditBlockId != null).Sum(p => p.Amount) ?? 0}";
        }
    }

    private static string Describe<T>(Infrastructure.UseCases.UseCaseResult<T> result) => result.Succeeded ? "ok" : $"{result.Status}: {result.Message}";

    private static async Task AssertMoneyRulesAsync(CorrectionScenario s, string context)
    {
        var unbalanced = await s.Harness.QueryAsync(db => db.Postings.GroupBy(p => new { p.EntryId, p.Currency }).Where(g => g.Sum(p => p.Amount) != 0).CountAsync());
        Assert.True(unbalanced == 0, $"An entry does not balance; {context}");
        var blocks = await s.Harness.QueryAsync(db => db.Postings.Where(p => p.CreditBlockId != null).GroupBy(p => p.CreditBlockId)
            .Select(g => g.Sum(p => p.Amount)).Where(sum => sum > 0).CountAsync());
        Assert.True(blocks == 0, $"A credit block went below zero; {context}");

        var invoices = await s.Harness.QueryAsync(db => db.Invoices.AsNoTracking().ToListAsync());
        foreach (var invoice in invoices)
        {
            Assert.True(invoice.AmountDue >= 0 && invoice.CreditedTotal <= invoice.Subtotal && invoice.RefundedTotal <= invoice.PaidTotal,
                $"{invoice.Number} due {invoice.AmountDue}, credited {invoice.CreditedTotal} of {invoice.Subtotal}, refunded {invoice.RefundedTotal} of {invoice.PaidTotal}; {context}");
            Assert.True(invoice.AmountDue == await ReceivableOfAsync(s, invoice), $"{invoice.Number}'s amount due differs from its receivable postings; {context}");
        }

        foreach (var customer in invoices.Select(i => i.CustomerId).Distinct())
        {
            // Wallet spending outside invoices (the test's own "spend" entries, unlinked) also moves the receivable; leave it out.
            var unlinked = await s.Harness.QueryAsync(db => (from p in db.Postings join e in db.JournalEntries on p.EntryId equals e.Id
                                                               join a in db.LedgerAccounts on p.AccountId equals a.Id
                                                               where e.Link == null && a.Kind == AccountKind.CustomerReceivable && a.CustomerId == customer
                                                               select p.Amount).SumAsync());
            Assert.True(invoices.Where(i => i.CustomerId == customer).Sum(i => i.AmountDue) == await s.BalanceAsync(AccountKind.CustomerReceivable, customer) - unlinked,
                $"The receivable differs from what the invoices say is due; {context}");
        }
    }

    /// <summary>The receivable postings of the entries that name the invoice or one of its credit notes.</summary>
    private static Task<long> ReceivableOfAsync(CorrectionScenario s, InvoiceRecord invoice) => s.Harness.QueryAsync(async db =>
    {
        var links = (await db.CreditNotes.Where(n => n.InvoiceId == invoice.Id).Select(n => n.Id).ToListAsync()).Select(id => $"credit-note:{id}")
            .Append(InvoicePosting.Link(invoice.Id)).ToList();
        var entries = await db.JournalEntries.Where(e => e.Link != null && links.Contains(e.Link)).Select(e => e.Id).ToListAsync();
        var reversals = await db.JournalEntries.Where(e => e.ReversesEntryId != null && entries.Contains(e.ReversesEntryId.Value)).Select(e => e.Id).ToListAsync();
        var all = entries.Concat(reversals).ToList();
        return await (from p in db.Postings join a in db.LedgerAccounts on p.AccountId equals a.Id
                      where all.Contains(p.EntryId) && a.Kind == AccountKind.CustomerReceivable select p.Amount).SumAsync();
    });
}
