namespace Neruba.Domain.Ledger;

/// <summary>A block as consumption sees it: its remainder (from postings) and the keys of the consumption order.</summary>
public sealed record BlockBalance(Guid BlockId, long Remaining, DateTimeOffset? ExpiresAt, int Priority, DateTimeOffset CreatedAt);

public sealed record BlockDraw(Guid BlockId, long Amount);

/// <summary>
/// Which blocks pay for a consumption: earliest expiry first (no expiry last), then lower priority
/// number, then oldest, then id so the order is total. Expired and empty blocks are skipped.
/// </summary>
public static class CreditConsumption
{
    /// <summary>The consumption order as a comparer (a writer can keep a wallet's blocks sorted by it).</summary>
    public static readonly IComparer<BlockBalance> Order = Comparer<BlockBalance>.Create(Compare);

    public static IOrderedEnumerable<BlockBalance> InOrder(IEnumerable<BlockBalance> blocks) => blocks.Order(Order);

    private static int Compare(BlockBalance? x, BlockBalance? y)
    {
        if (ReferenceEquals(x, y) || x is null || y is null)
        {
            return ReferenceEquals(x, y) ? 0 : x is null ? -1 : 1;
        }

        var byExpiry = (x.ExpiresAt is null).CompareTo(y.ExpiresAt is null);
        if (byExpiry == 0)
        {
            byExpiry = Nullable.Compare(x.ExpiresAt, y.ExpiresAt);
        }

        var byPriority = x.Priority.CompareTo(y.Priority);
        var byAge = x.CreatedAt.CompareTo(y.CreatedAt);
        return byExpiry != 0 ? byExpiry : byPriority != 0 ? byPriority : byAge != 0 ? byAge : x.BlockId.CompareTo(y.BlockId);
    }

    /// <summary>Draws up to <paramref name="amount"/>; the shortfall is what the wallet could not cover.</summary>
    public static (IReadOnlyList<BlockDraw> Draws, long Shortfall) Plan(IEnumerable<BlockBalance> blocks, long amount, DateTimeOffset at)
    {
        if (amount <= 0)
        {
            throw new LedgerException("A consumption is a positive amount.");
        }

        var draws = new List<BlockDraw>();
        var left = amount;
        foreach (var block in InOrder(blocks.Where(b => b.Remaining > 0 && !(b.ExpiresAt <= at))))
        {
            if (left == 0)
            {
                break;
            }

            var take = Math.Min(left, block.Remaining);
            draws.Add(new BlockDraw(block.BlockId, take));
            left -= take;
        }

        return (draws, left);
    }

    /// <summary>Blocks whose expiry has passed and that still hold credit: each becomes one expiry entry.</summary>
    public static IReadOnlyList<BlockBalance> ExpiredRemainders(IEnumerable<BlockBalance> blocks, DateTimeOffset at) =>
        blocks.Where(b => b.Remaining > 0 && b.ExpiresAt <= at).OrderBy(b => b.ExpiresAt).ThenBy(b => b.BlockId).ToList();
}
