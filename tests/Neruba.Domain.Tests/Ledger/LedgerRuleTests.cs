using Neruba.Domain.Audit;
using Neruba.Domain.Ledger;

namespace Neruba.Domain.Tests.Ledger;

public class LedgerRuleTests
{
    [Fact]
    public void An_unbalanced_entry_cannot_exist()
    {
        var error = Assert.Throws<LedgerException>(() => JournalEntry.Create(Guid.NewGuid(), Guid.NewGuid(), EntryKind.CreditGrant, "k", DateTimeOffset.UnixEpoch,
            ActorKind.System, "x", "x", "r", null, null, [new Posting(Guid.NewGuid(), Guid.NewGuid(), 100, "USD"), new Posting(Guid.NewGuid(), Guid.NewGuid(), -99, "USD")]));

        Assert.Contains("sum to 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_currency_balances_on_its_own()
    {
        Assert.Throws<LedgerException>(() => JournalEntry.Create(Guid.NewGuid(), Guid.NewGuid(), EntryKind.CreditGrant, "k", DateTimeOffset.UnixEpoch,
            ActorKind.System, "x", "x", "r", null, null, [new Posting(Guid.NewGuid(), Guid.NewGuid(), 100, "USD"), new Posting(Guid.NewGuid(), Guid.NewGuid(), -100, "EUR")]));
    }

    [Fact]
    public void An_entry_needs_two_non_zero_postings()
    {
        Assert.Throws<LedgerException>(() => JournalEntry.Create(Guid.NewGuid(), Guid.NewGuid(), EntryKind.CreditGrant, "k", DateTimeOffset.UnixEpoch,
            ActorKind.System, "x", "x", "r", null, null, [new Posting(Guid.NewGuid(), Guid.NewGuid(), 0, "USD"), new Posting(Guid.NewGuid(), Guid.NewGuid(), 0, "USD")]));
    }

    [Fact]
    public void Credit_is_consumed_by_expiry_then_priority_then_age()
    {
        var ledger = new InMemoryLedger();
        var noExpiry = ledger.Grant(100, null, priority: 1);
        ledger.Advance(TimeSpan.FromMinutes(1));
        var laterExpiry = ledger.Grant(100, ledger.Now.AddDays(30), priority: 1);
        var soonLowPriority = ledger.Grant(100, ledger.Now.AddDays(10), priority: 9);
        var soonHighPriority = ledger.Grant(100, ledger.Now.AddDays(10), priority: 1);

        var (entry, shortfall) = ledger.Consume(350);

        Assert.Equal(0, shortfall);
        var draws = entry!.Postings.Where(p => p.CreditBlockId is not null).Select(p => (p.CreditBlockId, p.Amount)).ToList();
        Assert.Equal([(soonHighPriority.Id, 100L), (soonLowPriority.Id, 100L), (laterExpiry.Id, 100L), (noExpiry.Id, 50L)], draws);
    }

    [Fact]
    public void Expired_credit_is_not_spent_and_is_written_off_once()
    {
        var ledger = new InMemoryLedger();
        ledger.Grant(500, ledger.Now.AddHours(1));
        ledger.Advance(TimeSpan.FromHours(2));

        var (entry, shortfall) = ledger.Consume(100);
        Assert.Null(entry);
        Assert.Equal(100, shortfall);

        Assert.Equal(1, ledger.ExpireDue());
        Assert.Equal(0, ledger.ExpireDue());
        Assert.Equal(0, ledger.Balance(ledger.Wallet));
        Assert.Equal(-500, ledger.Balance(ledger.Expired));
    }

    [Fact]
    public void A_grant_whose_credit_was_spent_cannot_be_reversed()
    {
        var ledger = new InMemoryLedger();
        ledger.Grant(100, null);
        var grant = ledger.Entries[0];
        ledger.Consume(60);

        var error = Assert.Throws<LedgerException>(() => ledger.Reverse(grant));
        Assert.Contains("already been used", error.Message, StringComparison.Ordinal);
    }
}
