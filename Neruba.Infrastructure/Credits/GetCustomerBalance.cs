using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Domain.Ledger;
using Neruba.Domain.Money;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Customers;
using Neruba.Infrastructure.Ledger;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Credits;

/// <summary>
/// "Explain this balance": each wallet's balance, the blocks it consists of, and every entry that moved
/// it with who, why and by how much. Every figure is a sum of postings, so each one traces to entries.
/// </summary>
public sealed class GetCustomerBalance : UseCase<GetCustomerBalance.Request, CustomerBalanceView>
{
    public sealed record Request(string? Customer);

    public override AccessRule Access { get; } = new(Permission.ViewConsole, ApiScopes.CreditsRead);

    public override async Task<UseCaseResult<CustomerBalanceView>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var customer = await CustomerRules.FindAsync(context, request.Customer, cancellationToken);
        if (customer is null)
        {
            return UseCaseResult<CustomerBalanceView>.NotFound($"No customer '{request.Customer}' in this project.");
        }

        var wallets = await context.Db.LedgerAccounts.AsNoTracking()
            .Where(a => a.CustomerId == customer.Id && a.Kind == AccountKind.CustomerWallet)
            .ToListAsync(cancellationToken);
        var views = new List<WalletView>();
        foreach (var wallet in wallets.OrderBy(w => w.Currency, StringComparer.Ordinal))
        {
            views.Add(await WalletAsync(context, wallet, customer.Id, cancellationToken));
        }

        var pending = await context.Db.CreditGrants.AsNoTracking()
            .Where(g => g.CustomerId == customer.Id && g.Status == CreditGrantStatus.PendingApproval)
            .OrderBy(g => g.RequestedAt).ToListAsync(cancellationToken);
        var owed = await (from a in context.Db.LedgerAccounts.AsNoTracking()
                          join p in context.Db.Postings.AsNoTracking() on a.Id equals p.AccountId
                          where a.CustomerId == customer.Id && a.Kind == AccountKind.CustomerReceivable
                          group p by a.Currency into g
                          select new { Currency = g.Key, Sum = g.Sum(p => p.Amount) }).ToListAsync(cancellationToken);
        return UseCaseResult<CustomerBalanceView>.Ok(new CustomerBalanceView(customer.Id, customer.ExternalId, customer.Name, views,
            pending.Select(g => CreditGrantView.From(g, customer.Name)).ToList(),
            [.. owed.Where(o => o.Sum != 0).OrderBy(o => o.Currency, StringComparer.Ordinal).Select(o => new MoneyAmount(o.Sum, Currency.Of(o.Currency)))]));
    }

    private static async Task<WalletView> WalletAsync(UseCaseContext context, LedgerAccount wallet, Guid customerId, CancellationToken cancellationToken)
    {
        var currency = Currency.Of(wallet.Currency);
        var balances = (await context.Db.BlockBalancesAsync(wallet.Id, cancellationToken)).ToDictionary(b => b.BlockId);
        var blocks = await context.Db.CreditBlocks.AsNoTracking().Where(b => b.WalletAccountId == wallet.Id).ToListAsync(cancellationToken);
        var blockViews = new List<CreditBlockView>();
        foreach (var b in CreditConsumption.InOrder(balances.Values).Select(balance => blocks.Single(b => b.Id == balance.BlockId)))
        {
            var remaining = balances[b.Id].Remaining;
            var expired = b.ExpiresAt <= context.Now;
            // No silent states: say why an expired block still counts, and why a fresh one did not reach the invoice being prepared.
            var heldFor = expired && remaining > 0 ? await context.Db.HeldForMonthAsync(b.ExpiresAt, customerId, cancellationToken) : null;
            // Plan credit is granted for the month it starts; only a person's (or a purchase's) grant could have been meant for the month before.
            // Only blocks with credit left get the note (what is used up needs no explaining), which also keeps the queries to the live blocks.
            var missed = b.Source == CreditSource.PlanAllowance || remaining <= 0 ? null : await context.Db.MissedMonthAsync(b.CreatedAt, customerId, cancellationToken);
            blockViews.Add(new CreditBlockView(b.Id, b.Source, new MoneyAmount(b.Amount, currency), new MoneyAmount(remaining, currency),
                b.ExpiresAt, b.Priority, b.CreatedAt, expired, b.EntryId, heldFor, missed));
        }

        var entries = await context.Db.JournalEntries.AsNoTracking().Include(e => e.Postings)
            .Where(e => e.Postings.Any(p => p.AccountId == wallet.Id))
            .ToListAsync(cancellationToken);
        var movements = new List<WalletMovement>();
        var running = 0L;
        foreach (var entry in entries.OrderBy(e => e.At).ThenBy(e => e.Id))
        {
            // Wallet postings are debit-positive; the customer's available credit moves the other way.
            var change = -entry.Postings.Where(p => p.AccountId == wallet.Id).Sum(p => p.Amount);
            running += change;
            movements.Add(new WalletMovement(entry.Id, entry.At, entry.Kind, entry.ActorName, entry.Reason, entry.Link, new MoneyAmount(change, currency),
                new MoneyAmount(running, currency),
                entry.Postings.Where(p => p.AccountId == wallet.Id && p.CreditBlockId != null).Select(p => p.CreditBlockId!.Value).ToList()));
        }

        MoneyAmount Sum(Func<CreditBlockView, bool> which) => new(blockViews.Where(which).Sum(b => b.Remaining.Minor), currency);
        return new WalletView(wallet.Currency, new MoneyAmount(running, currency), Sum(b => !b.IsExpired), Sum(b => b.HeldForMonth is not null),
            Sum(b => b.IsExpired && b.HeldForMonth is null), blockViews, movements);
    }
}
