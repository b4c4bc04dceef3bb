using Neruba.Domain.Billing;
using Neruba.Domain.Billing.Corrections;

namespace Neruba.Domain.Tests.Billing;

/// <summary>Hand-worked credit notes: where the money goes, and how per-line quantity credits round.</summary>
public class CreditNoteRulesTests
{
    private static readonly InvoiceLine Thirds = new(InvoiceLineKind.Usage, "seats", Guid.Empty, "seats", 3, 0.333m, null, null, null, null, 100, "3 x 0.333 USD = 1.00 USD");

    [Fact]
    public void Crediting_a_line_unit_by_unit_rounds_each_part_once_and_the_last_unit_takes_what_is_left()
    {
        var credited = new LineCredited(0, 0);
        var parts = new List<long>();
        for (var unit = 0; unit < 3; unit++)
        {
            var amount = CreditNoteRules.LineAmountForQuantity(Thirds, 1, credited, "USD", out var refusal);
            Assert.Null(refusal);
            parts.Add(amount);
            credited = new LineCredited(credited.Amount + amount, credited.Quantity + 1);
        }

        // 1 x (100 / 3) = 33.33 -> 33 cents, twice; the third unit takes the remaining 34, so the line is credited exactly 1.00.
        Assert.Equal([33L, 33L, 34L], parts);
        CreditNoteRules.LineAmountForQuantity(Thirds, 1, credited, "USD", out var beyond);
        Assert.Equal("'seats' has 0 of 3 units left to credit.", beyond);
    }

    [Fact]
    public void Half_a_cent_rounds_away_from_zero()
    {
        var line = Thirds with { Quantity = 4, Amount = 10 };

        // 1 x (10 / 4) = 2.5 cents -> 3; 3 x 2.5 = 7.5 -> 8.
        Assert.Equal(3, CreditNoteRules.LineAmountForQuantity(line, 1, new(0, 0), "USD", out _));
        Assert.Equal(8, CreditNoteRules.LineAmountForQuantity(line, 3, new(0, 0), "USD", out _));
    }

    [Theory]
    [InlineData(4550, 0, 4700, 0, 4550, 0, 150)] // unpaid: what is due first, the rest to the wallet
    [InlineData(0, 4550, 1000, 400, 0, 400, 600)] // paid: the refund asked for, the rest to the wallet
    [InlineData(1000, 3550, 3000, 2000, 1000, 2000, 0)] // partly paid: due first, then the refund
    public void A_credit_note_reduces_what_is_due_first_then_refunds_then_credits_the_wallet(long due, long paid, long total, long refund, long toDue,
        long refunded, long toWallet)
    {
        var invoice = new CreditableInvoice("USD", 5050, due, paid, 0, 0);

        Assert.Equal(new CreditAllocation(toDue, refunded, toWallet), CreditNoteRules.Allocate(invoice, total, refund, out _));
    }

    [Theory]
    [InlineData(5051, 0, "This credits 50.51 USD, more than the invoice's total of 50.50 USD.")]
    [InlineData(4700, 200, "45.50 USD of this credit note reduces what is still due, so at most 1.50 USD can be refunded.")]
    [InlineData(4000, 100, "All of this credit note (40.00 USD) reduces what is still due, so none of it can be refunded.")]
    [InlineData(4700, 100, "Nothing has been paid on this invoice (or it was refunded already), so nothing can be refunded: credit the customer's wallet instead.")]
    [InlineData(0, 0, "A credit note credits more than zero.")]
    public void Refusals_name_the_rule(long total, long refund, string expected)
    {
        var invoice = new CreditableInvoice("USD", 5050, 4550, 0, 0, 0);

        Assert.Null(CreditNoteRules.Allocate(invoice, total, refund, out var refusal));
        Assert.Equal(expected, refusal);
    }
}
