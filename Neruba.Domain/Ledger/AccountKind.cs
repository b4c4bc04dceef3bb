namespace Neruba.Domain.Ledger;

/// <summary>
/// What an account holds. Amounts are debit-positive, as accountants write them: an account's balance
/// is the plain sum of its postings, so assets and expenses (receivables, promotional expense) have
/// positive balances and liabilities and income (wallets, revenue, expired credit) negative ones.
/// A wallet holding 25.00 of credit therefore sums to -2500; the console shows it as 25.00 available.
/// </summary>
public enum AccountKind
{
    /// <summary>Prepaid credit the project owes a customer, in one currency.</summary>
    CustomerWallet = 1,

    /// <summary>What a customer owes on finalized invoices.</summary>
    CustomerReceivable = 2,

    Revenue = 10,

    /// <summary>The cost of credit given away (promotions, support goodwill, plan allowances).</summary>
    PromotionalExpense = 11,

    /// <summary>Credit that expired unused.</summary>
    ExpiredCredit = 12,

    /// <summary>Money received for credit purchases through the payment provider, before settlement.</summary>
    StripeClearing = 13,

    /// <summary>Revenue given back by credit notes (a contra-revenue account: debit-positive).</summary>
    SalesCredits = 14,

    /// <summary>Money received (or paid back) outside the payment provider: bank transfers, cheques.</summary>
    BankReceipts = 15,

    /// <summary>What customers owed on invoices marked uncollectible.</summary>
    BadDebt = 16,

    /// <summary>Refunds owed back through the payment provider and not yet confirmed by it (a liability: credit-positive balance).</summary>
    RefundsPending = 17,

    /// <summary>What the payment provider kept as its fee on a charge (an expense).</summary>
    PaymentFees = 18,

    /// <summary>
    /// Money the payment provider withdrew for an open dispute, its dispute fee included (an asset: it may come back). Emptied when the dispute
    /// closes: back to clearing (won), to the customer's receivable and fees (lost).
    /// </summary>
    DisputeHolds = 19,

    /// <summary>The project's bank account that the payment provider pays out to: a payout moves money from clearing to here.</summary>
    Bank = 20,
}
