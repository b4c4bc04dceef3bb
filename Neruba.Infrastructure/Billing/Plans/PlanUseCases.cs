using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Domain.Billing;
using Neruba.Domain.Metering;
using Neruba.Domain.Money;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Billing.Plans;

public sealed record PlanVersionView(Guid Id, int Number, string Name, PlanTerms Terms, bool InUse, DateTimeOffset CreatedAt, string CreatedBy);

public sealed record PlanView(Guid Id, string Code, string Name, PlanVersionView Current, IReadOnlyList<PlanVersionView> Versions);

/// <summary>
/// Creates a plan or edits one by code. Every edit, a rename included, adds the next version; versions
/// are never changed, so subscriptions and invoices keep the name and terms they were made with.
/// </summary>
public sealed class SavePlan : UseCase<SavePlan.Request, PlanView>
{
    /// <summary>Amounts are typed in major units of the currency ("49.00"); prices are decimals.</summary>
    public sealed record Request(string? Code, string? Name, string? Currency, BillingInterval? Interval, string? BaseFee, FeeTiming? FeeTiming,
        IReadOnlyList<UsageCharge>? Charges, string? MinimumCommitment, string? PrepaidCredit);

    public override AccessRule Access { get; } = new(Permission.RunJobs, ApiScopes.SetupWrite);

    public override ValidationErrors Validate(Request request)
    {
        var errors = new ValidationErrors();
        if (!BillableMetric.IsValidCode(request.Code))
        {
            errors.Add("code", "A plan code is 1 to 50 lowercase letters, digits, '_', '.' or '-', starting with a letter (e.g. pro_monthly).");
        }

        errors.Required("name", request.Name, PlanRecord.MaxNameLength, "Name").Currency("currency", request.Currency);
        if (request.Interval is not { } interval || !Enum.IsDefined(interval))
        {
            errors.Add("interval", "Choose a billing interval: monthly or yearly.");
        }

        if (request.FeeTiming is not { } timing || !Enum.IsDefined(timing))
        {
            errors.Add("feeTiming", "Choose when the base fee is charged: inAdvance or inArrears.");
        }

        if (errors.IsEmpty && ToTerms(request, errors) is { } terms)
        {
            foreach (var error in terms.Validate())
            {
                errors.Add("charges", error);
            }
        }

        return errors;
    }

    /// <summary>The request as plan terms; amount errors are added to <paramref name="errors"/> (null when any).</summary>
    public static PlanTerms? ToTerms(Request request, ValidationErrors errors)
    {
        var currency = Currency.Of(request.Currency!);
        var baseFee = Amount(request.BaseFee, currency, "baseFee", "The base fee", errors);
        var minimum = Amount(request.MinimumCommitment, currency, "minimumCommitment", "The minimum commitment", errors);
        var prepaid = Amount(request.PrepaidCredit, currency, "prepaidCredit", "The prepaid credit", errors);
        return errors.IsEmpty
            ? new PlanTerms(currency.Code, request.Interval!.Value, baseFee, request.FeeTiming!.Value, request.Charges ?? [], minimum, prepaid)
            : null;
    }

    private static long Amount(string? text, Currency currency, string field, string label, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return 0;
        }

        if (!MoneyAmount.TryParse(text, currency, out var amount, out var error))
        {
            errors.Add(field, $"{label}: {error}");
            return 0;
        }

        if (amount.Minor < 0)
        {
            errors.Add(field, $"{label} cannot be negative.");
        }

        return amount.Minor;
    }

    public override async Task<UseCaseResult<PlanView>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var terms = ToTerms(request, errors)!;
        var metricCodes = await context.Db.BillableMetrics.Where(m => m.ProjectId == context.ProjectId).Select(m => m.Code).ToListAsync(cancellationToken);
        foreach (var error in terms.Validate(metricCodes.ToHashSet(StringComparer.Ordinal)))
        {
            errors.Add("charges", error);
        }

        if (!errors.IsEmpty)
        {
            return UseCaseResult<PlanView>.Invalid(errors);
        }

        var name = request.Name!.Trim();
        var plan = await context.Db.Plans.FirstOrDefaultAsync(p => p.ProjectId == context.ProjectId && p.Code == request.Code, cancellationToken);
        if (plan is null)
        {
            plan = new PlanRecord { Id = Guid.NewGuid(), ProjectId = context.ProjectId, Code = request.Code!, Name = name, CreatedAt = context.Now };
            context.Db.Plans.Add(plan);
            context.Db.PlanVersions.Add(NewVersion(context, plan, 1, name, terms));
            context.Audit("plan.created", "plan", plan.Code, null, new { Name = name, Version = 1, Terms = terms });
            return UseCaseResult<PlanView>.Ok(await PlanReads.ViewAsync(context.Db, plan, cancellationToken));
        }

        var latest = await context.Db.PlanVersions.AsNoTracking().Where(v => v.PlanId == plan.Id).OrderByDescending(v => v.Number).FirstAsync(cancellationToken);
        if (latest.Name == name && SameTerms(latest.Terms, terms))
        {
            // Saving what is already there is not an edit: no version, no audit record.
            return UseCaseResult<PlanView>.Ok(await PlanReads.ViewAsync(context.Db, plan, cancellationToken));
        }

        if (terms.Currency != latest.Terms.Currency && await context.Db.SubscriptionPhases.AnyAsync(p => p.PlanVersionId == latest.Id, cancellationToken))
        {
            return UseCaseResult<PlanView>.Invalid("currency",
                $"Plan '{plan.Code}' has subscribers billed in {latest.Terms.Currency}; a new version cannot switch currency. Create a new plan instead.");
        }

        // Versions are facts: even an unused one is never edited in place, so a subscription starting on it at this very moment keeps what it saw.
        // Two editors racing both try the same number; the unique (plan, number) index makes the loser rerun and take the next one.
        plan.Name = name;
        context.Db.PlanVersions.Add(NewVersion(context, plan, latest.Number + 1, name, terms));
        context.Audit("plan.version_added", "plan", plan.Code, new { latest.Name, Version = latest.Number, latest.Terms },
            new { Name = name, Version = latest.Number + 1, Terms = terms });
        return UseCaseResult<PlanView>.Ok(await PlanReads.ViewAsync(context.Db, plan, cancellationToken));
    }

    private static bool SameTerms(PlanTerms a, PlanTerms b) =>
        System.Text.Json.JsonSerializer.Serialize(a, JsonColumn.Options) == System.Text.Json.JsonSerializer.Serialize(b, JsonColumn.Options);

    private static PlanVersionRecord NewVersion(UseCaseContext context, PlanRecord plan, int number, string name, PlanTerms terms) => new()
    {
        Id = Guid.NewGuid(), PlanId = plan.Id, ProjectId = plan.ProjectId, Number = number, Name = name, Terms = terms, CreatedAt = context.Now,
        CreatedBy = context.Actor.Name,
    };
}

/// <summary>The project's plans with every version.</summary>
public sealed class ListPlans : UseCase<ListPlans.Request, IReadOnlyList<PlanView>>
{
    public sealed record Request;

    public override AccessRule Access { get; } = new(Permission.ViewConsole, ApiScopes.BillingRead);

    public override async Task<UseCaseResult<IReadOnlyList<PlanView>>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var plans = await context.Db.Plans.AsNoTracking().Where(p => p.ProjectId == context.ProjectId).OrderBy(p => p.Code).ToListAsync(cancellationToken);
        var views = new List<PlanView>();
        foreach (var plan in plans)
        {
            views.Add(await PlanReads.ViewAsync(context.Db, plan, cancellationToken));
        }

        return UseCaseResult<IReadOnlyList<PlanView>>.Ok(views);
    }
}

internal static class PlanReads
{
    public static async Task<PlanView> ViewAsync(Persistence.NerubaDbContext db, PlanRecord plan, CancellationToken cancellationToken)
    {
        var versions = db.PlanVersions.Local.Where(v => v.PlanId == plan.Id)
            .Concat(await db.PlanVersions.AsNoTracking().Where(v => v.PlanId == plan.Id).ToListAsync(cancellationToken))
            .DistinctBy(v => v.Id).OrderByDescending(v => v.Number).ToList();
        var ids = versions.Select(v => v.Id).ToList();
        var used = await db.SubscriptionPhases.Where(p => ids.Contains(p.PlanVersionId)).Select(p => p.PlanVersionId).Distinct().ToListAsync(cancellationToken);
        var views = versions.Select(v => new PlanVersionView(v.Id, v.Number, v.Name, v.Terms, used.Contains(v.Id), v.CreatedAt, v.CreatedBy)).ToList();
        return new PlanView(plan.Id, plan.Code, plan.Name, views[0], views);
    }
}
