using System.Text.Json;

namespace Neruba.Infrastructure.Payments.Reconciliation;

/// <summary>One row of a run's summary: the balance transactions of one reporting category and currency.</summary>
public sealed record CategoryTotal(string Category, string Currency, int Count, long Gross, long Fee, long Net)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IReadOnlyList<CategoryTotal> Parse(string json) =>
        string.IsNullOrWhiteSpace(json) ? [] : JsonSerializer.Deserialize<List<CategoryTotal>>(json, Json) ?? [];

    public static string Serialize(IEnumerable<CategoryTotal> totals) => JsonSerializer.Serialize(totals.ToList(), Json);

    /// <summary>Adds <paramref name="txn"/> to the totals (grouped by reporting category and currency).</summary>
    internal static void Add(Dictionary<(string, string), CategoryTotal> totals, StripeTxn txn)
    {
        var key = (txn.Category, txn.Currency);
        var t = totals.GetValueOrDefault(key) ?? new CategoryTotal(txn.Category, txn.Currency, 0, 0, 0, 0);
        totals[key] = t with { Count = t.Count + 1, Gross = t.Gross + txn.Amount, Fee = t.Fee + txn.Fee, Net = t.Net + txn.Net };
    }
}
