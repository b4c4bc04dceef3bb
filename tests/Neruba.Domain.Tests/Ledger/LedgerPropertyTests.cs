using FsCheck;
using FsCheck.Fluent;
using Neruba.Domain.Ledger;

namespace Neruba.Domain.Tests.Ledger;

/// <summary>
/// Random sequences of grants, consumptions, expiries and reversals on one wallet. After every step:
/// each entry sums to zero, the wallet equals the sum of its postings and of its blocks' remainders,
/// no block is negative, and every consumption drew its blocks in consumption order.
/// </summary>
public class LedgerPropertyTests
{
    public enum OpKind
    {
        Grant,
        Consume,
        Expire,
        Reverse,
        Wait,
    }

    public sealed record Op(OpKind Kind, long Amount, int ExpiryHours, int Priority, int Pick);

    private static readonly Gen<Op> OpGen =
        from kind in Gen.Frequency((4, Gen.Constant(OpKind.Grant)), (4, Gen.Constant(OpKind.Consume)), (1, Gen.Constant(OpKind.Expire)),
            (2, Gen.Constant(OpKind.Reverse)), (2, Gen.Constant(OpKind.Wait)))
        from amount in Gen.Choose(1, 50_000)
        from expiry in Gen.Choose(-1, 72)
        from priority in Gen.Choose(1, 5)
        from pick in Gen.Choose(0, 1_000)
        select new Op(kind, amount, expiry, priority, pick);

    [Fact]
    public void Every_sequence_keeps_the_ledger_balanced_and_blocks_consumed_in_order()
    {
        Prop.ForAll(Arb.From(OpGen.ListOf()), ops =>
        {
            var ledger = new InMemoryLedger();
            foreach (var op in ops)
            {
                Apply(ledger, op);
                CheckInvariants(ledger);
            }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }

    private static void Apply(InMemoryLedger ledger, Op op)
    {
        switch (op.Kind)
        {
            case OpKind.Grant:
                ledger.Grant(op.Amount, op.ExpiryHours < 0 ? null : ledger.Now.AddHours(op.ExpiryHours + 1), op.Priority);
                break;
            case OpKind.Consume:
                var before = ledger.BlockBalances();
                var (entry, shortfall) = ledger.Consume(op.Amount);
                CheckConsumptionOrder(ledger, before, entry, op.Amount, shortfall);
                break;
            case OpKind.Expire:
                ledger.ExpireDue();
                break;
            case OpKind.Reverse when ledger.Entries.Count > 0:
                var original = ledger.Entries[op.Pick % ledger.Entries.Count];
                var alreadyReversed = ledger.Entries.Any(e => e.ReversesEntryId == original.Id) || original.ReversesEntryId is not null;
                if (!alreadyReversed)
                {
                    try
                    {
                        ledger.Reverse(original);
                    }
                    catch (LedgerException)
                    {
                        // Refused because the credit was already used: allowed, and nothing was posted.
                    }
                }

                break;
            case OpKind.Wait:
                ledger.Advance(TimeSpan.FromHours(op.Amount % 24));
                break;
        }
    }

    private static void CheckInvariants(InMemoryLedger ledger)
    {
        foreach (var entry in ledger.Entries)
        {
            Assert.Equal(0, entry.Postings.Sum(p => p.Amount));
        }

        var blocks = ledger.BlockBalances();
        Assert.All(blocks, b => Assert.True(b.Remaining >= 0, $"Block {b.BlockId} is at {b.Remaining}."));
        Assert.Equal(-ledger.Balance(ledger.Wallet), blocks.Sum(b => b.Remaining));
        Assert.All(ledger.Entries.SelectMany(e => e.Postings).Where(p => p.AccountId == ledger.Wallet.Id), p => Assert.NotNull(p.CreditBlockId));
        Assert.Equal(0, ledger.Balance(ledger.Wallet) + ledger.Balance(ledger.Expense) + ledger.Balance(ledger.Receivable) + ledger.Balance(ledger.Expired));
    }

    /// <summary>The order the product promises, written out independently of the code under test.</summary>
    private static int SpecifiedOrder(BlockBalance a, BlockBalance b)
    {
        if (a.ExpiresAt != b.ExpiresAt)
        {
            return a.ExpiresAt is null ? 1 : b.ExpiresAt is null ? -1 : a.ExpiresAt.Value.CompareTo(b.ExpiresAt.Value);
        }

        if (a.Priority != b.Priority)
        {
            return a.Priority.CompareTo(b.Priority);
        }

        return a.CreatedAt != b.CreatedAt ? a.CreatedAt.CompareTo(b.CreatedAt) : a.BlockId.CompareTo(b.BlockId);
    }

    private static void CheckConsumptionOrder(InMemoryLedger ledger, IReadOnlyList<BlockBalance> before, JournalEntry? entry, long amount, long shortfall)
    {
        var usable = before.Where(b => b.Remaining > 0 && (b.ExpiresAt is null || b.ExpiresAt > ledger.Now)).ToList();
        usable.Sort(SpecifiedOrder);
        Assert.Equal(Math.Max(0, amount - usable.Sum(b => b.Remaining)), shortfall);
        var drawn = entry?.Postings.Where(p => p.CreditBlockId is not null).ToDictionary(p => p.CreditBlockId!.Value, p => p.Amount) ?? [];

        // Drawn blocks form a prefix of the order; all but the last of them are emptied.
        var prefix = usable.TakeWhile(b => drawn.ContainsKey(b.BlockId)).ToList();
        Assert.Equal(drawn.Count, prefix.Count);
        for (var i = 0; i < prefix.Count - 1; i++)
        {
            Assert.Equal(prefix[i].Remaining, drawn[prefix[i].BlockId]);
        }

        Assert.Equal(amount - shortfall, drawn.Values.Sum());
    }
}
