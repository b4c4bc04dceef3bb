using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Billing.Corrections;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Metering;
using Neruba.Infrastructure.Tests.Billing;
using Neruba.Infrastructure.Tests.Metering;
using Neruba.Infrastructure.Tests.Support;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Tests.Corrections;

/// <summary>
/// Last month billed: cus_acme used 250 api_calls (49.00 + 1.50 = 50.50, 5.00 plan credit, 45.50 due: INV acme),
/// cus_globex none (49.00, 5.00 credit, 44.00 due).
/// </summary>
internal sealed record CorrectionScenario(UseCaseHarness Harness, DateTimeOffset LastMonth, string Acme, string Globex)
{
    public static async Task<CorrectionScenario> StartAsync()
    {
        var (harness, lastMonth) = await BillingRunTests.StartWithSubscriptionsAsync();
        var at = lastMonth.AddDays(3).ToString("O");
        await IngestStoreTests.IngestAsync(harness, [.. Enumerable.Range(1, 250).Select(i => new IncomingEvent($"c{i}", "cus_acme", "api_calls", at, null))]);
        var run = await BillingRunTests.TriggerAsync(harness, lastMonth);
        await BillingRunTests.RunJobAsync(harness, run.Id);
        return new CorrectionScenario(harness, lastMonth, await NumberOfAsync(harness, "cus_acme"), await NumberOfAsync(harness, "cus_globex"));
    }

    public Task<InvoiceRecord> InvoiceAsync(string number)
    {
        var sequence = long.Parse(number[4..], System.Globalization.CultureInfo.InvariantCulture);
        return Harness.QueryAsync(db => db.Invoices.AsNoTracking().SingleAsync(i => i.ProjectId == Harness.ProjectId && i.Sequence == sequence));
    }

    public Task<UseCaseResult<CreditNoteIssued>> CreditAsync(string invoice, IReadOnlyList<LineCreditInput>? lines = null, string? flat = null,
        string? refund = null, Actor? actor = null) =>
        Harness.RunAsync<IssueCreditNote, IssueCreditNote.Request, CreditNoteIssued>(actor ?? Harness.Admin,
            new(invoice, lines, flat, refund, "billing_error", "Charged twice"));

    public Task<UseCaseResult<PaymentView>> PayAsync(string invoice, string amount, string reference = "BANK-1") =>
        Harness.RunAsync<RecordPayment, RecordPayment.Request, PaymentView>(Harness.Admin,
            new(invoice, amount, DateOnly.FromDateTime(Harness.Clock.GetUtcNow().UtcDateTime), reference));

    /// <summary>The sum of one account's postings (debit-positive).</summary>
    public Task<long> BalanceAsync(AccountKind kind, Guid? customerId) => Harness.QueryAsync(async db =>
    {
        var code = LedgerAccount.CodeFor(kind, "USD", customerId);
        var account = await db.LedgerAccounts.SingleOrDefaultAsync(a => a.ProjectId == Harness.ProjectId && a.Code == code);
        return account is null ? 0 : await db.Postings.Where(p => p.AccountId == account.Id).SumAsync(p => p.Amount);
    });

    /// <summary>What each block of the customer's wallet still holds.</summary>
    public Task<Dictionary<Guid, long>> BlocksAsync(Guid customerId) => Harness.QueryAsync(async db =>
    {
        var blocks = await db.CreditBlocks.Where(b => b.CustomerId == customerId).Select(b => b.Id).ToListAsync();
        var sums = await db.Postings.Where(p => p.CreditBlockId != null && blocks.Contains(p.CreditBlockId.Value))
            .GroupBy(p => p.CreditBlockId!.Value).Select(g => new { g.Key, Sum = g.Sum(p => p.Amount) }).ToListAsync();
        return blocks.ToDictionary(b => b, b => -(sums.SingleOrDefault(s => s.Key == b)?.Sum ?? 0));
    });

    private static Task<string> NumberOfAsync(UseCaseHarness harness, string externalId) => harness.QueryAsync(async db =>
        InvoiceRecord.FormatNumber(await (from i in db.Invoices join c in db.Customers on i.CustomerId equals c.Id where c.ExternalId == externalId select i.Sequence)
            .SingleAsync()));
}
