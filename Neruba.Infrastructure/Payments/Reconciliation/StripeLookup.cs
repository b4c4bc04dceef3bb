using System.Net;
using Stripe;

namespace Neruba.Infrastructure.Payments.Reconciliation;

/// <summary>
/// Entries of the window Stripe listed no transaction for: usually timing (the ledger posted it in this window, Stripe created the transaction in
/// another), so each is looked up in Stripe directly and only one Stripe does not know is a mismatch.
/// </summary>
internal static class StripeLookup
{
    private const int MaxLookups = 50;

    public static async Task<(List<Finding> Missing, List<string> Found)> CheckAsync(StripeClient client, IEnumerable<ClearingLine> unseen,
        CancellationToken cancellationToken)
    {
        var missing = new List<Finding>();
        var found = new List<string>();
        foreach (var group in unseen.GroupBy(l => l.Key, StringComparer.Ordinal).Take(MaxLookups))
        {
            var separator = group.Key.IndexOf(':', StringComparison.Ordinal);
            var (prefix, id) = (group.Key[..separator], group.Key[(separator + 1)..]);
            if (await ExistsAsync(client, prefix, id, cancellationToken))
            {
                found.Add(id);
                continue;
            }

            var first = group.First();
            var amount = group.Sum(l => l.Amount);
            var txn = new StripeTxn("", prefix, "", id, 0, 0, 0, first.Currency, first.At, null, null);
            missing.Add(new Finding(MismatchKind.MissingInStripe, txn, amount, null, $"Stripe has no {prefix.Replace('-', ' ')} {id}.",
                $"On Stripe clearing: {ReconciliationMatcher.Show(amount, first.Currency)} under {group.Key}, posted "
                + $"{first.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture)} UTC.",
                "Check the Stripe account the keys belong to; explain it with a note once understood."));
        }

        return (missing, found);
    }

    private static async Task<bool> ExistsAsync(StripeClient client, string prefix, string id, CancellationToken cancellationToken)
    {
        try
        {
            _ = prefix switch
            {
                "stripe-payment" => (object)await client.V1.PaymentIntents.GetAsync(id, cancellationToken: cancellationToken),
                "purchase" => await client.V1.Checkout.Sessions.GetAsync(id, cancellationToken: cancellationToken),
                "stripe-fee" => await client.V1.Charges.GetAsync(id, cancellationToken: cancellationToken),
                "stripe-refund" => await client.V1.Refunds.GetAsync(id, cancellationToken: cancellationToken),
                _ => await client.V1.BalanceTransactions.GetAsync(id, cancellationToken: cancellationToken),
            };
            return true;
        }
        catch (StripeException exception) when (exception.HttpStatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }
}
