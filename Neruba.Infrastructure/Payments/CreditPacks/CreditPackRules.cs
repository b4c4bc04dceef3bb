using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Ledger;
using Neruba.Domain.Money;
using Neruba.Infrastructure.Billing.Corrections;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Payments.CreditPacks;

/// <summary>A pack as typed in a form or sent by the API: amounts as text in the currency's units ("49.00").</summary>
public sealed record CreditPackInput(string? Name, string? Currency, string? Price, string? Credit, int? ExpiryDays, int? Priority);

public sealed record CreditPackView(Guid Id, string Name, MoneyAmount Price, MoneyAmount Credit, int? ExpiryDays, int Priority, bool Archived,
    DateTimeOffset CreatedAt, string CreatedBy, long Version)
{
    /// <summary>Credit beyond what the customer pays (zero when the pack has no bonus).</summary>
    public MoneyAmount Bonus => new(Math.Max(0, Credit.Minor - Price.Minor), Credit.Currency);

    public static CreditPackView From(CreditPackRecord pack)
    {
        var currency = Currency.Of(pack.Currency);
        return new CreditPackView(pack.Id, pack.Name, new MoneyAmount(pack.Price, currency), new MoneyAmount(pack.Credit, currency), pack.ExpiryDays,
            pack.Priority, pack.Archived, pack.CreatedAt, pack.CreatedByName, pack.Version);
    }

    /// <summary>The pack's terms for the audit log.</summary>
    public static object ForAudit(CreditPackRecord pack) => new
    {
        pack.Name, pack.Currency, Price = new MoneyAmount(pack.Price, Currency.Of(pack.Currency)).ToString(),
        Credit = new MoneyAmount(pack.Credit, Currency.Of(pack.Currency)).ToString(), pack.ExpiryDays, pack.Priority, pack.Archived,
    };
}

internal static class CreditPackRules
{
    public const int MaxExpiryDays = 3650;
    public const int MaxPriority = 100;

    public static ValidationErrors Validate(CreditPackInput? input)
    {
        var errors = new ValidationErrors();
        if (input is null)
        {
            return errors.Add("name", "The pack's details are required.");
        }

        errors.Required("name", input.Name, CreditPackRecord.MaxNameLength, "Name").Currency("currency", input.Currency);
        if (errors.Lacks("currency") && CorrectionSupport.ParsePositive(input.Price, input.Currency!, "The price", out var error) is null)
        {
            errors.Add("price", error!);
        }

        if (errors.Lacks("currency") && CorrectionSupport.ParsePositive(input.Credit, input.Currency!, "The credit", out error) is null)
        {
            errors.Add("credit", error!);
        }

        if (input.ExpiryDays is < 1 or > MaxExpiryDays)
        {
            errors.Add("expiryDays", $"Credit expires 1 to {MaxExpiryDays} days after purchase; leave it empty for credit that never expires.");
        }

        if (input.Priority is < 0 or > MaxPriority)
        {
            errors.Add("priority", $"The priority is 0 to {MaxPriority} (lower is used first among credit expiring on the same day).");
        }

        return errors;
    }

    /// <summary>Copies the (validated) input onto the pack.</summary>
    public static void Apply(CreditPackRecord pack, CreditPackInput input)
    {
        pack.Name = input.Name!.Trim();
        pack.Currency = Currency.Of(input.Currency!.Trim()).Code;
        pack.Price = CorrectionSupport.ParsePositive(input.Price, pack.Currency, "The price", out _)!.Value;
        pack.Credit = CorrectionSupport.ParsePositive(input.Credit, pack.Currency, "The credit", out _)!.Value;
        pack.ExpiryDays = input.ExpiryDays;
        pack.Priority = input.Priority ?? CreditBlock.DefaultPriority(CreditSource.Purchase);
    }

    /// <summary>Why the name cannot be used (another pack of the project has it, archived ones included), or null.</summary>
    public static async Task<string?> NameTakenAsync(UseCaseContext context, string name, Guid? except, CancellationToken cancellationToken)
    {
        var names = await context.Db.CreditPacks.AsNoTracking()
            .Where(p => p.ProjectId == context.ProjectId && p.Id != except)
            .Select(p => new { p.Name, p.Archived })
            .ToListAsync(cancellationToken);
        var taken = names.FirstOrDefault(n => string.Equals(n.Name, name.Trim(), StringComparison.OrdinalIgnoreCase));
        return taken is null ? null
            : taken.Archived ? $"An archived pack is already named '{taken.Name}': restore it, or choose another name."
            : $"A pack named '{taken.Name}' already exists; choose another name.";
    }

    public static Task<CreditPackRecord?> FindAsync(UseCaseContext context, Guid? id, CancellationToken cancellationToken) =>
        context.Db.CreditPacks.FirstOrDefaultAsync(p => p.ProjectId == context.ProjectId && p.Id == id, cancellationToken);

    public static string NotFound(Guid? id) => $"No credit pack '{id}' in this project.";

    private static bool Lacks(this ValidationErrors errors, string field) => !errors.ToDictionary().ContainsKey(field);
}
