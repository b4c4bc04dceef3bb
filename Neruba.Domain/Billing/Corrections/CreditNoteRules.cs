using Neruba.Domain.Money;

namespace Neruba.Domain.Billing.Corrections;

/// <summary>Where a credit note's money goes: first off what is still due, then refunded out of band, the rest to the customer's wallet.</summary>
public sealed record CreditAllocation(long ToDue, long Refunded, long ToWallet)
{
    public long Total => ToDue + Refunded + ToWallet;
}

/// <summary>What an invoice holds when a credit note is asked for: its total, what is still due, paid, and what earlier credit notes took.</summary>
public sealed record CreditableInvoice(string Currency, long Total, long AmountDue, long Paid, long Refunded, long Credited);

/// <summary>How much of an invoice line earlier credit notes took, by amount and by quantity.</summary>
public sealed record LineCredited(long Amount, decimal Quantity);

/// <summary>
/// The rules a credit note obeys, pure so the console's live preview, the use case and the property tests share them.
/// Every refusal is a sentence a finance person can act on.
/// </summary>
public static class CreditNoteRules
{
    /// <summary>
    /// Splits <paramref name="total"/>: what is still due is reduced first; of the rest, <paramref name="refund"/> is refunded and the remainder
    /// goes to the wallet. Refused when the invoice has less left to credit, or the refund exceeds the rest or what was paid and not yet refunded.
    /// </summary>
    public static CreditAllocation? Allocate(CreditableInvoice invoice, long total, long refund, out string? refusal)
    {
        var currency = Currency.Of(invoice.Currency);
        refusal = null;
        if (total <= 0)
        {
            refusal = "A credit note credits more than zero.";
            return null;
        }

        var creditable = invoice.Total - invoice.Credited;
        if (total > creditable)
        {
            refusal = invoice.Credited == 0
                ? $"This credits {Show(total, currency)}, more than the invoice's total of {Show(invoice.Total, currency)}."
                : $"This credits {Show(total, currency)}, but only {Show(creditable, currency)} of the invoice's {Show(invoice.Total, currency)} is left to credit: "
                  + $"earlier credit notes took {Show(invoice.Credited, currency)}.";
            return null;
        }

        if (refund < 0)
        {
            refusal = "A refund cannot be negative.";
            return null;
        }

        var toDue = Math.Min(total, Math.Max(invoice.AmountDue, 0));
        var rest = total - toDue;
        if (refund > rest)
        {
            refusal = rest == 0
                ? $"All of this credit note ({Show(total, currency)}) reduces what is still due, so none of it can be refunded."
                : toDue > 0
                ? $"{Show(toDue, currency)} of this credit note reduces what is still due, so at most {Show(rest, currency)} can be refunded."
                : $"The refund ({Show(refund, currency)}) cannot be more than the credit note ({Show(total, currency)}).";
            return null;
        }

        var refundable = invoice.Paid - invoice.Refunded;
        if (refund > refundable)
        {
            refusal = refundable <= 0
                ? "Nothing has been paid on this invoice (or it was refunded already), so nothing can be refunded: credit the customer's wallet instead."
                : $"Only {Show(refundable, currency)} was paid on this invoice and not yet refunded; the refund part cannot be more.";
            return null;
        }

        return new CreditAllocation(toDue, refund, rest - refund);
    }

    /// <summary>
    /// The amount a quantity credit of one line is worth: quantity × (line amount ÷ line quantity), rounded once, half away from zero,
    /// except that the last of the line's quantity takes exactly what is left, so crediting a line in parts sums to its amount.
    /// </summary>
    public static long LineAmountForQuantity(InvoiceLine line, decimal quantity, LineCredited before, string currencyCode, out string? refusal)
    {
        refusal = null;
        if (!AllowsQuantity(line))
        {
            refusal = $"'{line.Description}' is not priced per unit; credit it by amount.";
            return 0;
        }

        if (quantity <= 0)
        {
            refusal = $"Credit more than zero units of '{line.Description}'.";
            return 0;
        }

        var quantityLeft = line.Quantity - before.Quantity;
        if (quantity > quantityLeft)
        {
            refusal = $"'{line.Description}' has {quantityLeft.ToString("0.############", System.Globalization.CultureInfo.InvariantCulture)} of "
                + $"{line.Quantity.ToString("0.############", System.Globalization.CultureInfo.InvariantCulture)} units left to credit.";
            return 0;
        }

        var amount = quantity == quantityLeft
            ? line.Amount - before.Amount
            : (long)Math.Round(quantity * line.Amount / line.Quantity, 0, MidpointRounding.AwayFromZero);
        var amountLeft = line.Amount - before.Amount;
        if (amount > amountLeft)
        {
            // Earlier credits by amount took part of the line: the units left are worth no more than what is left of it.
            refusal = amountLeft <= 0 ? $"'{line.Description}' has nothing left to credit." : $"'{line.Description}' has only {Show(amountLeft, Currency.Of(currencyCode))} left to credit.";
            return 0;
        }

        if (amount <= 0)
        {
            refusal = $"{quantity.ToString("0.############", System.Globalization.CultureInfo.InvariantCulture)} units of '{line.Description}' round to nothing; "
                + "credit more units or an amount.";
            return 0;
        }

        return amount;
    }

    /// <summary>A line can be credited by quantity when it charged a positive amount for a positive quantity.</summary>
    public static bool AllowsQuantity(InvoiceLine line) => line.Quantity > 0 && line.Amount > 0 && line.UnitPrice != 0;

    /// <summary>Refuses a line credit of zero or above what the line has left after earlier credit notes.</summary>
    public static string? CheckLineAmount(InvoiceLine line, int number, long amount, LineCredited before, string currencyCode)
    {
        var currency = Currency.Of(currencyCode);
        if (amount <= 0)
        {
            return $"Line {number} ('{line.Description}'): credit more than zero.";
        }

        var left = line.Amount - before.Amount;
        if (amount <= left)
        {
            return null;
        }

        return left <= 0
            ? $"Line {number} ('{line.Description}') has nothing left to credit."
            : $"Line {number} ('{line.Description}') has {Show(left, currency)} left to credit; this credits {Show(amount, currency)}.";
    }

    private static string Show(long minor, Currency currency) => new MoneyAmount(minor, currency).ToString();
}
