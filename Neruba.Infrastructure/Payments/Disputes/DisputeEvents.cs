using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Billing.Corrections;
using Neruba.Infrastructure.Ledger;
using Neruba.Infrastructure.Payments.Webhooks;

namespace Neruba.Infrastructure.Payments.Disputes;

/// <summary>
/// <c>charge.dispute.*</c> events. Every event carries the whole dispute, so each one is applied the same way whatever its type or order: the
/// status moves forward only, each balance transaction Stripe lists is posted once (keyed by its id: a withdrawal is a hold, a reinstatement a
/// release), and once the dispute is closed and its money has settled, what is still held is emptied once (lost: the invoice is owed again).
/// </summary>
internal static class DisputeEvents
{
    public static string Link(Guid disputeId) => $"dispute:{disputeId}";

    public static string TransactionKey(string balanceTransactionId) => $"stripe-dispute-txn:{balanceTransactionId}";

    public static async Task<StripeEventOutcome> HandleAsync(StripeEventContext context, CancellationToken cancellationToken)
    {
        var stripe = context.Object;
        var status = DisputeStates.Parse(stripe.Text("status"))
            ?? throw new InvalidOperationException($"Stripe reports dispute {stripe.Text("id")} as \"{stripe.Text("status")}\", which Neruba does not know.");
        var (dispute, created) = await FindOrCreateAsync(context, status, cancellationToken);
        var words = new List<string>();
        if (created)
        {
            words.Add($"Dispute {dispute.StripeDisputeId} opened on charge {dispute.ChargeId} for {Show(dispute.Amount, dispute)} ({dispute.Reason})"
                + (dispute.InvoiceId is null ? "; Neruba made no invoice payment with this charge." : "."));
        }
        else if (DisputeStates.CanMove(dispute.Status, status))
        {
            words.Add($"Dispute {dispute.StripeDisputeId}: {dispute.Status} → {status}.");
            context.Audit("dispute.status_changed", "dispute", dispute.StripeDisputeId, new { Status = dispute.Status.ToString() },
                new { Status = status.ToString() }, $"Stripe moved the dispute to {status}");
            dispute.Status = status;
        }
        else if (dispute.Status != status)
        {
            words.Add($"Dispute {dispute.StripeDisputeId} is already {dispute.Status}; this older {status} changes nothing.");
        }

        if (stripe.Child("evidence_details")?.Time("due_by") is { } dueBy && !dispute.IsClosed)
        {
            dispute.EvidenceDueBy = dueBy;
        }

        dispute.IsChargeRefundable = stripe.Flag("is_charge_refundable");
        foreach (var transaction in stripe.ArrayItems("balance_transactions"))
        {
            words.AddRange(await PostTransactionAsync(context, dispute, transaction, cancellationToken));
        }

        words.AddRange(await CloseAsync(context, dispute, cancellationToken));
        dispute.UpdatedAt = context.Now;
        dispute.Version++;
        return StripeEventOutcome.Done(words.Count > 0 ? string.Join(" ", words) : $"Dispute {dispute.StripeDisputeId} is up to date; nothing changed.");
    }

    private static async Task<(DisputeRecord Dispute, bool Created)> FindOrCreateAsync(StripeEventContext context, DisputeStatus status,
        CancellationToken cancellationToken)
    {
        var stripe = context.Object;
        var disputeId = stripe.Text("id") ?? throw new InvalidOperationException("The dispute event carries no dispute id.");
        var existing = await context.Db.Disputes.SingleOrDefaultAsync(d => d.ProjectId == context.ProjectId && d.StripeDisputeId == disputeId, cancellationToken);
        if (existing is not null)
        {
            return (existing, false);
        }

        var chargeId = stripe.Text("charge") ?? "";
        var intentId = stripe.Text("payment_intent");
        var payment = await context.Db.Payments.FirstOrDefaultAsync(p => p.ProjectId == context.ProjectId && p.StripeChargeId == chargeId, cancellationToken);
        var attempt = payment is null
            ? await context.Db.CollectionAttempts.FirstOrDefaultAsync(a => a.ProjectId == context.ProjectId
                && (a.ChargeId == chargeId || (intentId != null && a.PaymentIntentId == intentId)), cancellationToken)
            : null;
        var checkout = payment is null && attempt is null && intentId is not null
            ? await context.Db.CheckoutSessions.FirstOrDefaultAsync(s => s.ProjectId == context.ProjectId && s.PaymentIntentId == intentId, cancellationToken)
            : null;
        var dispute = new DisputeRecord
        {
            Id = Guid.NewGuid(), ProjectId = context.ProjectId, StripeDisputeId = disputeId, ChargeId = chargeId, PaymentIntentId = intentId,
            PaymentId = payment?.Id, InvoiceId = payment?.InvoiceId ?? attempt?.InvoiceId,
            CustomerId = payment?.CustomerId ?? attempt?.CustomerId ?? checkout?.CustomerId,
            Currency = stripe.Currency, Amount = stripe.Number("amount") ?? 0, Reason = stripe.Text("reason") ?? "general", Status = status,
            StripeCreatedAt = stripe.Time("created") ?? context.Event.StripeCreatedAt, CreatedAt = context.Now, UpdatedAt = context.Now,
        };
        context.Db.Disputes.Add(dispute);
        context.Audit("dispute.opened", "dispute", disputeId, null, new { dispute.ChargeId, dispute.Amount, dispute.Currency, dispute.Reason,
            Status = status.ToString() }, $"The cardholder disputed charge {chargeId}");
        return (dispute, true);
    }

    /// <summary>A withdrawal (negative net: the amount and Stripe's fee) is held; a reinstatement (positive net) is released. Each once.</summary>
    private static async Task<IEnumerable<string>> PostTransactionAsync(StripeEventContext context, DisputeRecord dispute, StripeJson transaction,
        CancellationToken cancellationToken)
    {
        var transactionId = transaction.Text("id");
        var net = transaction.Number("net") ?? 0;
        var key = transactionId is null ? null : TransactionKey(transactionId);
        if (key is null || net == 0 || context.Db.JournalEntries.Local.Any(e => e.IdempotencyKey == key)
            || await context.Db.EntryByKeyAsync(context.ProjectId, key, cancellationToken) is not null)
        {
            return [];
        }

        var currency = transaction.Currency;
        if (!string.Equals(currency, dispute.Currency, StringComparison.Ordinal))
        {
            // Neruba's Stripe clearing holds each payment in the currency it was charged in; a dispute settled in another one cannot be held
            // against it without a conversion Neruba does not make. Nothing is posted; the event fails in words and reconciliation shows it.
            throw new InvalidOperationException($"Stripe settled dispute {dispute.StripeDisputeId} in {currency}, not in the charge's currency "
                + $"({dispute.Currency}); nothing was posted. Record the dispute's money by hand after checking it in Stripe.");
        }

        var clearing = await context.Db.AccountAsync(context.ProjectId, AccountKind.StripeClearing, currency, null, cancellationToken);
        var holds = await context.Db.AccountAsync(context.ProjectId, AccountKind.DisputeHolds, currency, null, cancellationToken);
        if (net < 0)
        {
            var fee = Math.Max(0, transaction.Number("fee") ?? 0);
            context.Db.JournalEntries.Add(DisputePostings.Hold(context.Posting(key, $"Stripe withdrew the disputed amount and its fee for {dispute.StripeDisputeId}"),
                holds, clearing, -net, dispute.CustomerId, Link(dispute.Id)));
            dispute.HeldTotal += -net;
            dispute.FeeTotal += fee;
            return [$"{Show(-net, dispute)} withdrawn (fee {Show(fee, dispute)} included) held in dispute holds."];
        }

        context.Db.JournalEntries.Add(DisputePostings.Release(context.Posting(key, $"Stripe reinstated funds for {dispute.StripeDisputeId}"), clearing, holds, net,
            dispute.CustomerId, Link(dispute.Id)));
        dispute.ReleasedTotal += net;
        return [$"{Show(net, dispute)} reinstated from dispute holds to clearing."];
    }

    /// <summary>
    /// Empties the hold once the dispute is closed and settled: won (after its reinstatement), the rest is the fee Stripe kept; lost, the disputed
    /// money is owed again on the invoice (or bad debt when no invoice can take it) and the fee is an expense.
    /// </summary>
    private static async Task<IEnumerable<string>> CloseAsync(StripeEventContext context, DisputeRecord dispute, CancellationToken cancellationToken)
    {
        var held = dispute.HeldTotal - dispute.ReleasedTotal;

        // A won dispute settles with its reinstatement (which may or may not return the fee); until then the hold stays as it is.
        if (!dispute.IsClosed || (dispute.Status == DisputeStatus.Won && dispute.ReleasedTotal == 0 && held > 0))
        {
            return [];
        }

        dispute.ClosedAt ??= context.Now;
        if (held <= 0 || dispute.CloseEntryId is not null)
        {
            return [];
        }

        var db = context.Db;
        var currency = dispute.Currency;
        var holds = await db.AccountAsync(context.ProjectId, AccountKind.DisputeHolds, currency, null, cancellationToken);
        var fees = await db.AccountAsync(context.ProjectId, AccountKind.PaymentFees, currency, null, cancellationToken);
        var badDebt = await db.AccountAsync(context.ProjectId, AccountKind.BadDebt, currency, null, cancellationToken);
        var toFees = dispute.Status == DisputeStatus.Lost ? Math.Min(dispute.FeeTotal, held) : held;
        var lostMoney = held - toFees;
        var invoice = dispute.InvoiceId is { } invoiceId && lostMoney > 0 ? await db.Invoices.SingleAsync(i => i.Id == invoiceId, cancellationToken) : null;
        var toReceivable = invoice is { Status: not Billing.Invoices.InvoiceStatus.Void } && invoice.Currency == currency ? Math.Min(lostMoney, invoice.PaidTotal) : 0;
        var receivable = toReceivable > 0 ? await db.AccountAsync(context.ProjectId, AccountKind.CustomerReceivable, currency, invoice!.CustomerId, cancellationToken) : null;
        var takeBack = await CreditTakeBackAsync(context, dispute, lostMoney - toReceivable, cancellationToken);
        var kind = dispute.Status == DisputeStatus.Lost ? EntryKind.DisputeLoss : EntryKind.PaymentFee;
        var reason = dispute.Status == DisputeStatus.Lost
            ? $"Dispute {dispute.StripeDisputeId} lost: the disputed money went back to the cardholder"
            : $"Dispute {dispute.StripeDisputeId} closed: Stripe kept its dispute fee";
        var entry = DisputePostings.Close(context.Posting($"stripe-dispute-close:{dispute.StripeDisputeId}", reason), kind, holds, receivable, badDebt, fees,
            toReceivable, lostMoney - toReceivable - (takeBack?.Amount ?? 0), toFees, dispute.CustomerId, Link(dispute.Id), takeBack);
        db.JournalEntries.Add(entry);
        dispute.CloseEntryId = entry.Id;
        if (toReceivable > 0)
        {
            var before = CorrectionSupport.AuditState(invoice!);
            invoice!.PaidTotal -= toReceivable;
            invoice.Settle();
            context.Audit("invoice.dispute_lost", "invoice", invoice.Number, before, CorrectionSupport.AuditState(invoice),
                $"{Show(toReceivable, dispute)} of its payment was taken back by dispute {dispute.StripeDisputeId}; it is owed again");
        }

        var creditTaken = takeBack?.Amount ?? 0;
        var badDebtTotal = lostMoney - toReceivable - creditTaken;
        context.Audit("dispute.closed", "dispute", dispute.StripeDisputeId, null, new { Status = dispute.Status.ToString(), toReceivable,
            CreditTakenBack = creditTaken, BadDebt = badDebtTotal, Fee = toFees }, reason);
        return dispute.Status == DisputeStatus.Lost
            ? [$"Lost: {Show(toReceivable, dispute)} owed again on {invoice?.Number ?? "no invoice"}"
                + (creditTaken > 0 ? $", {Show(creditTaken, dispute)} of the credit it bought taken back" : "")
                + (badDebtTotal > 0 ? $", {Show(badDebtTotal, dispute)} to bad debt" : "") + $", fee {Show(toFees, dispute)} expensed."]
            : [$"Closed: Stripe kept {Show(toFees, dispute)} as its dispute fee (expensed)."];
    }

    /// <summary>
    /// For money a lost dispute takes that no invoice can take back (a credit pack purchase): the credit that payment bought and the customer has
    /// not used yet, up to the money lost, is taken back from its block. Null when there is none.
    /// </summary>
    private static async Task<DisputePostings.WalletTakeBack?> CreditTakeBackAsync(StripeEventContext context, DisputeRecord dispute, long notOwedAgain,
        CancellationToken cancellationToken)
    {
        if (notOwedAgain <= 0 || dispute.Status != DisputeStatus.Lost || dispute.PaymentIntentId is not { } intentId || dispute.CustomerId is not { } customerId)
        {
            return null;
        }

        var purchase = await context.Db.CheckoutSessions.AsNoTracking().Where(c => c.ProjectId == context.ProjectId && c.PaymentIntentId == intentId
            && c.EntryId != null).Select(c => c.EntryId).FirstOrDefaultAsync(cancellationToken);
        var block = purchase is null ? null
            : await context.Db.CreditBlocks.AsNoTracking().FirstOrDefaultAsync(b => b.EntryId == purchase && b.CustomerId == customerId, cancellationToken);
        if (block is null || block.Currency != dispute.Currency)
        {
            return null;
        }

        var wallet = await context.Db.AccountAsync(context.ProjectId, AccountKind.CustomerWallet, block.Currency, customerId, cancellationToken);
        var remaining = (await context.Db.BlockBalancesAsync(wallet.Id, cancellationToken)).SingleOrDefault(b => b.BlockId == block.Id)?.Remaining ?? 0;
        var amount = Math.Min(remaining, notOwedAgain);
        if (amount <= 0)
        {
            return null;
        }

        wallet.Touch();
        return new DisputePostings.WalletTakeBack(wallet, block.Id, amount);
    }

    private static string Show(long amount, DisputeRecord dispute) => CorrectionSupport.Show(amount, dispute.Currency);
}
