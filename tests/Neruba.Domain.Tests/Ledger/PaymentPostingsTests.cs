using Neruba.Domain.Audit;
using Neruba.Domain.Ledger;

namespace Neruba.Domain.Tests.Ledger;

/// <summary>The entries money through Stripe makes: what settles the receivable, what goes to the wallet, what is owed back.</summary>
public class PaymentPostingsTests
{
    private static readonly Guid Project = Guid.NewGuid();
    private static readonly Guid Customer = Guid.NewGuid();
    private static readonly PostingContext Context = new(Project, "k", DateTimeOffset.UnixEpoch, ActorKind.System, "stripe", "Stripe", "r");

    private static LedgerAccount Account(AccountKind kind, string currency = "USD", bool customer = false) =>
        new(Guid.NewGuid(), Project, kind, currency, customer ? Customer : null);

    [Fact]
    public void A_payment_settles_what_is_due_and_puts_the_rest_in_a_wallet_block_that_never_expires()
    {
        var clearing = Account(AccountKind.StripeClearing);
        var receivable = Account(AccountKind.CustomerReceivable, customer: true);
        var wallet = Account(AccountKind.CustomerWallet, customer: true);

        var (entry, block) = PaymentPostings.InvoicePaid(Context, clearing, receivable, wallet, received: 5000, toReceivable: 4180, "invoice:1");

        Assert.Equal(EntryKind.Payment, entry.Kind);
        Assert.Equal(5000, entry.Postings.Single(p => p.AccountId == clearing.Id).Amount);
        Assert.Equal(-4180, entry.Postings.Single(p => p.AccountId == receivable.Id).Amount);
        Assert.Equal(-820, entry.Postings.Single(p => p.AccountId == wallet.Id).Amount);
        Assert.NotNull(block);
        Assert.Equal((CreditSource.Overpayment, 820L, (DateTimeOffset?)null), (block.Source, block.Amount, block.ExpiresAt));
        Assert.Equal(Customer, entry.CustomerId);
    }

    [Fact]
    public void An_exact_payment_makes_no_block()
    {
        var (entry, block) = PaymentPostings.InvoicePaid(Context, Account(AccountKind.StripeClearing), Account(AccountKind.CustomerReceivable, customer: true),
            Account(AccountKind.CustomerWallet, customer: true), 4180, 4180, "invoice:1");

        Assert.Null(block);
        Assert.Equal(2, entry.Postings.Count);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(100, 101)]
    [InlineData(100, -1)]
    public void A_payment_that_is_not_positive_or_settles_more_than_it_brings_is_refused(long received, long toReceivable)
    {
        Assert.Throws<LedgerException>(() => PaymentPostings.InvoicePaid(Context, Account(AccountKind.StripeClearing),
            Account(AccountKind.CustomerReceivable, customer: true), Account(AccountKind.CustomerWallet, customer: true), received, toReceivable, "invoice:1"));
    }

    [Fact]
    public void Money_in_one_currency_never_settles_another()
    {
        Assert.Throws<LedgerException>(() => PaymentPostings.InvoicePaid(Context, Account(AccountKind.StripeClearing, "EUR"),
            Account(AccountKind.CustomerReceivable, customer: true), Account(AccountKind.CustomerWallet, customer: true), 100, 100, "invoice:1"));
        Assert.Throws<LedgerException>(() => PaymentPostings.Fee(Context, Account(AccountKind.PaymentFees, "EUR"), Account(AccountKind.StripeClearing), 30, "c"));
    }

    [Fact]
    public void A_credit_note_refund_through_Stripe_is_owed_until_Stripe_confirms_it()
    {
        var accounts = new CorrectionAccounts(Account(AccountKind.CustomerReceivable, customer: true), Account(AccountKind.CustomerWallet, customer: true),
            Account(AccountKind.SalesCredits), Account(AccountKind.BankReceipts), Account(AccountKind.RefundsPending));

        var (note, _) = CorrectionPostings.CreditNote(Context, accounts, toDue: 0, refunded: 1500, toWallet: 0, "credit-note:1", refundedThroughProvider: 1000);
        var paid = PaymentPostings.RefundPaid(Context, accounts.RefundsPending!, Account(AccountKind.StripeClearing), 1000, "credit-note:1");

        Assert.Equal(-1000, note.Postings.Single(p => p.AccountId == accounts.RefundsPending!.Id).Amount);
        Assert.Equal(-500, note.Postings.Single(p => p.AccountId == accounts.BankReceipts.Id).Amount);
        Assert.Equal(1000, paid.Postings.Single(p => p.AccountId == accounts.RefundsPending!.Id).Amount);
        Assert.Throws<LedgerException>(() => CorrectionPostings.CreditNote(Context, accounts with { RefundsPending = null }, 0, 1500, 0, "c", 1000));
        Assert.Throws<LedgerException>(() => CorrectionPostings.CreditNote(Context, accounts, 0, 500, 0, "c", 1000));
    }

    [Theory]
    [InlineData(5000, 5500, 500, 0)]
    [InlineData(5000, 5000, 0, 0)]
    [InlineData(5000, 4000, 0, -1000)]
    public void A_pack_brings_its_price_into_clearing_and_its_credit_into_the_wallet_the_difference_is_bonus_or_revenue(long price, long credit,
        long promotion, long revenue)
    {
        var clearing = Account(AccountKind.StripeClearing);
        var wallet = Account(AccountKind.CustomerWallet, customer: true);
        var promotional = Account(AccountKind.PromotionalExpense);
        var income = Account(AccountKind.Revenue);

        var (entry, block) = PaymentPostings.PackPurchase(Context, clearing, wallet, promotional, income, price, credit, null, 20, "checkout:1");

        long Sum(LedgerAccount account) => entry.Postings.Where(p => p.AccountId == account.Id).Sum(p => p.Amount);
        Assert.Equal(EntryKind.CreditPurchase, entry.Kind);
        Assert.Equal((price, -credit, promotion, revenue), (Sum(clearing), Sum(wallet), Sum(promotional), Sum(income)));
        Assert.Equal((CreditSource.Purchase, credit, (int?)20), (block.Source, block.Amount, block.Priority));
    }
}
