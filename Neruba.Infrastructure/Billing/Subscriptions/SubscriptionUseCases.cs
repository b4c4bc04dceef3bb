using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Domain.Billing;
using Neruba.Infrastructure.Customers;
using Neruba.Infrastructure.UseCases;
using Neruba.Infrastructure.UseCases.Idempotency;

namespace Neruba.Infrastructure.Billing.Subscriptions;

/// <summary>
/// Starts a customer on a plan's newest version from a day (UTC). Monthly plans bill calendar months;
/// yearly ones bill years from the billing anchor (a first day of a month). Grants the plan's prepaid credit for the first month.
/// </summary>
public sealed class StartSubscription : UseCase<StartSubscription.Request, SubscriptionView>, IIdempotentUseCase<StartSubscription.Request>
{
    public sealed record Request(string? Customer, string? Plan, DateOnly? StartsOn, DateOnly? BillingAnchor);

    public async Task<IdempotencyScope?> ResolveIdempotencyScopeAsync(UseCaseContext context, Request request, CancellationToken cancellationToken) =>
        await CustomerRules.FindAsync(context, request.Customer, cancellationToken) is { } customer
            ? new IdempotencyScope(customer.Id.ToString(), request with { Customer = null })
            : null;

    public override AccessRule Access { get; } = new(Permission.ManageCustomers, ApiScopes.SetupWrite);

    public override ValidationErrors Validate(Request request)
    {
        var errors = new ValidationErrors().Required("customer", request.Customer, 100, "Customer").Required("plan", request.Plan, PlanRecord.MaxCodeLength, "Plan");
        if (request.StartsOn is null)
        {
            errors.Add("startsOn", "Choose the day the subscription starts.");
        }

        errors.Day("startsOn", request.StartsOn).Day("billingAnchor", request.BillingAnchor);
        if (request.BillingAnchor is { Day: not 1 })
        {
            errors.Add("billingAnchor", "The billing anchor is the first day of a month.");
        }

        return errors;
    }

    public override async Task<UseCaseResult<SubscriptionView>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var customer = await CustomerRules.FindAsync(context, request.Customer, cancellationToken);
        if (customer is null)
        {
            return UseCaseResult<SubscriptionView>.NotFound($"No customer '{request.Customer}' in this project.");
        }

        var (plan, version) = await SubscriptionRules.NewestVersionAsync(context, request.Plan!, cancellationToken);
        if (plan is null || version is null)
        {
            return UseCaseResult<SubscriptionView>.Invalid("plan", $"No plan '{request.Plan}' in this project.");
        }

        if (!string.Equals(version.Terms.Currency, customer.Currency, StringComparison.Ordinal))
        {
            return UseCaseResult<SubscriptionView>.Invalid("plan", $"{customer.Name} is billed in {customer.Currency}; plan '{plan.Code}' charges {version.Terms.Currency}.");
        }

        var startsAt = SubscriptionRules.DayStart(request.StartsOn!.Value);
        var anchor = request.BillingAnchor is { } a ? SubscriptionRules.DayStart(a)
            : startsAt.Day == 1 ? startsAt : BillingCalendar.MonthStartOf(startsAt).AddMonths(1);
        if (startsAt < context.Now.AddYears(-1))
        {
            return UseCaseResult<SubscriptionView>.Invalid("startsOn", "A subscription can start at most a year back.");
        }

        if (await SubscriptionRules.InvoicedThroughAsync(context, customer.Id, cancellationToken) is { } invoicedTo && startsAt < invoicedTo)
        {
            return UseCaseResult<SubscriptionView>.Invalid("startsOn", $"{customer.Name} is already billed up to {invoicedTo:yyyy-MM-dd} (its invoices, or the final billing run of that month); start on that day or later.");
        }

        var overlapping = await context.Db.Subscriptions.AnyAsync(s => s.CustomerId == customer.Id && (s.EndsAt == null || s.EndsAt > startsAt), cancellationToken);
        if (overlapping)
        {
            return UseCaseResult<SubscriptionView>.Conflict($"{customer.Name} already has a subscription running on {startsAt:yyyy-MM-dd}; change its plan or cancel it first.");
        }

        var subscription = new SubscriptionRecord
        {
            Id = Guid.NewGuid(), ProjectId = context.ProjectId, CustomerId = customer.Id, PlanId = plan.Id, BillingAnchor = anchor, StartsAt = startsAt,
            CreatedAt = context.Now, Version = 1,
        };
        context.Db.Subscriptions.Add(subscription);
        context.Db.SubscriptionPhases.Add(new SubscriptionPhaseRecord { Id = Guid.NewGuid(), SubscriptionId = subscription.Id, PlanVersionId = version.Id, From = startsAt });
        // Every month that has begun gets its plan credit now (a backdated start included); later months get theirs from each month's billing run.
        for (var month = BillingCalendar.MonthStartOf(startsAt); month == BillingCalendar.MonthStartOf(startsAt) || month <= context.Now; month = month.AddMonths(1))
        {
            await SubscriptionLedger.GrantPlanCreditAsync(context.Db, subscription, version.Terms, month, context.Now, context.Actor, cancellationToken);
        }

        context.Audit("subscription.started", "subscription", subscription.Id.ToString(), null,
            new { Customer = customer.ExternalId, Plan = plan.Code, Version = version.Number, StartsOn = request.StartsOn, BillingAnchor = anchor });
        return UseCaseResult<SubscriptionView>.Ok(await SubscriptionReads.ViewAsync(context.Db, subscription, cancellationToken));
    }
}

/// <summary>Moves a subscription to another plan (its newest version) from a day; the base fee is prorated by day and usage is charged under the version in force.</summary>
public sealed class ChangeSubscriptionPlan : UseCase<ChangeSubscriptionPlan.Request, SubscriptionView>, IIdempotentUseCase<ChangeSubscriptionPlan.Request>
{
    public sealed record Request(Guid SubscriptionId, string? Plan, DateOnly? EffectiveOn);

    public Task<IdempotencyScope?> ResolveIdempotencyScopeAsync(UseCaseContext context, Request request, CancellationToken cancellationToken) =>
        Task.FromResult<IdempotencyScope?>(new IdempotencyScope(request.SubscriptionId.ToString(), request));

    public override AccessRule Access { get; } = new(Permission.ManageCustomers, ApiScopes.SetupWrite);

    public override ValidationErrors Validate(Request request)
    {
        var errors = new ValidationErrors().Required("plan", request.Plan, PlanRecord.MaxCodeLength, "Plan");
        return request.EffectiveOn is null ? errors.Add("effectiveOn", "Choose the day the new plan takes effect.") : errors.Day("effectiveOn", request.EffectiveOn);
    }

    public override async Task<UseCaseResult<SubscriptionView>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var subscription = await context.Db.Subscriptions.FirstOrDefaultAsync(s => s.Id == request.SubscriptionId && s.ProjectId == context.ProjectId, cancellationToken);
        if (subscription is null)
        {
            return UseCaseResult<SubscriptionView>.NotFound("No such subscription in this project.");
        }

        var (plan, version) = await SubscriptionRules.NewestVersionAsync(context, request.Plan!, cancellationToken);
        if (plan is null || version is null)
        {
            return UseCaseResult<SubscriptionView>.Invalid("plan", $"No plan '{request.Plan}' in this project.");
        }

        var phases = await context.Db.SubscriptionPhases.Where(p => p.SubscriptionId == subscription.Id).OrderBy(p => p.From).ToListAsync(cancellationToken);
        var last = phases[^1];
        var currentVersionId = last.PlanVersionId;
        var current = (await context.Db.PlanVersions.FirstAsync(v => v.Id == currentVersionId, cancellationToken)).Terms;
        if (version.Id == last.PlanVersionId)
        {
            return UseCaseResult<SubscriptionView>.Invalid("plan", $"The subscription is already on {plan.Name} v{version.Number}.");
        }

        if (version.Terms.Currency != current.Currency || version.Terms.Interval != current.Interval || version.Terms.FeeTiming != current.FeeTiming)
        {
            return UseCaseResult<SubscriptionView>.Invalid("plan",
                $"Plan '{plan.Code}' bills {version.Terms.Currency}, {version.Terms.Interval}, {version.Terms.FeeTiming}; a plan change keeps currency, interval and fee timing "
                + $"({current.Currency}, {current.Interval}, {current.FeeTiming}). Cancel and start a new subscription instead.");
        }

        var effective = SubscriptionRules.DayStart(request.EffectiveOn!.Value);
        if (effective <= last.From || (subscription.EndsAt is { } ends && effective >= ends))
        {
            return UseCaseResult<SubscriptionView>.Invalid("effectiveOn",
                $"The change must take effect after {last.From:yyyy-MM-dd} (when the current plan began){(subscription.EndsAt is { } e ? $" and before the subscription ends on {e:yyyy-MM-dd}" : "")}.");
        }

        if (await SubscriptionRules.InvoicedThroughAsync(context, subscription.CustomerId, cancellationToken) is { } invoicedTo && effective < invoicedTo)
        {
            return UseCaseResult<SubscriptionView>.Invalid("effectiveOn", $"The subscription is billed up to {invoicedTo:yyyy-MM-dd} (its invoices, or the final billing run of that month); the change can take effect from that day on.");
        }

        var before = await SubscriptionReads.ViewAsync(context.Db, subscription, cancellationToken);
        last.To = effective;
        context.Db.SubscriptionPhases.Add(new SubscriptionPhaseRecord
        {
            Id = Guid.NewGuid(), SubscriptionId = subscription.Id, PlanVersionId = version.Id, From = effective, To = subscription.EndsAt,
        });
        subscription.PlanId = plan.Id;
        subscription.Version++;
        var after = await SubscriptionReads.ViewAsync(context.Db, subscription, cancellationToken);
        context.Audit("subscription.plan_changed", "subscription", subscription.Id.ToString(), before.ForAudit(), after.ForAudit());
        return UseCaseResult<SubscriptionView>.Ok(after);
    }
}

public enum CancellationMode
{
    /// <summary>Runs to the end of the current month (or year, for yearly plans).</summary>
    AtPeriodEnd = 1,

    /// <summary>Ends after today; the base fee is prorated by day.</summary>
    Immediately = 2,
}

public sealed class CancelSubscription : UseCase<CancelSubscription.Request, SubscriptionView>, IIdempotentUseCase<CancelSubscription.Request>
{
    public sealed record Request(Guid SubscriptionId, CancellationMode? Mode, string? Reason);

    public Task<IdempotencyScope?> ResolveIdempotencyScopeAsync(UseCaseContext context, Request request, CancellationToken cancellationToken) =>
        Task.FromResult<IdempotencyScope?>(new IdempotencyScope(request.SubscriptionId.ToString(), request));

    public override AccessRule Access { get; } = new(Permission.ManageCustomers, ApiScopes.SetupWrite);

    public override ValidationErrors Validate(Request request)
    {
        var errors = new ValidationErrors().Optional("reason", request.Reason, 500, "Reason", multiline: true);
        return request.Mode is { } mode && Enum.IsDefined(mode) ? errors : errors.Add("mode", "Choose atPeriodEnd or immediately.");
    }

    public override async Task<UseCaseResult<SubscriptionView>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var subscription = await context.Db.Subscriptions.FirstOrDefaultAsync(s => s.Id == request.SubscriptionId && s.ProjectId == context.ProjectId, cancellationToken);
        if (subscription is null)
        {
            return UseCaseResult<SubscriptionView>.NotFound("No such subscription in this project.");
        }

        var phases = await context.Db.SubscriptionPhases.Where(p => p.SubscriptionId == subscription.Id).OrderBy(p => p.From).ToListAsync(cancellationToken);
        var lastVersionId = phases[^1].PlanVersionId;
        var terms = (await context.Db.PlanVersions.FirstAsync(v => v.Id == lastVersionId, cancellationToken)).Terms;
        var today = new DateTimeOffset(context.Now.UtcDateTime.Date, TimeSpan.Zero);
        var ends = request.Mode == CancellationMode.Immediately
            ? today.AddDays(1)
            : BillingCalendar.FeePeriodContaining(terms.Interval, subscription.BillingAnchor, today < subscription.StartsAt ? subscription.StartsAt : today).End;
        if (ends <= subscription.StartsAt)
        {
            ends = subscription.StartsAt.AddDays(1);
        }

        if (subscription.EndsAt is { } already && already <= ends)
        {
            return UseCaseResult<SubscriptionView>.Conflict($"The subscription already ends on {already:yyyy-MM-dd}.");
        }

        var before = await SubscriptionReads.ViewAsync(context.Db, subscription, cancellationToken);
        subscription.EndsAt = ends;
        subscription.Version++;
        foreach (var phase in phases.Where(p => p.From >= ends).ToList())
        {
            context.Db.SubscriptionPhases.Remove(phase);
        }

        var lastKept = phases.Last(p => p.From < ends);
        lastKept.To = ends;
        var after = await SubscriptionReads.ViewAsync(context.Db, subscription, cancellationToken);
        context.Audit("subscription.cancelled", "subscription", subscription.Id.ToString(), before.ForAudit(), after.ForAudit(), request.Reason);
        return UseCaseResult<SubscriptionView>.Ok(after);
    }
}

/// <summary>A customer's subscriptions, newest first.</summary>
public sealed class ListSubscriptions : UseCase<ListSubscriptions.Request, IReadOnlyList<SubscriptionView>>
{
    public sealed record Request(string? Customer);

    public override AccessRule Access { get; } = new(Permission.ViewConsole, ApiScopes.BillingRead);

    public override async Task<UseCaseResult<IReadOnlyList<SubscriptionView>>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var customer = await CustomerRules.FindAsync(context, request.Customer, cancellationToken);
        if (customer is null)
        {
            return UseCaseResult<IReadOnlyList<SubscriptionView>>.NotFound($"No customer '{request.Customer}' in this project.");
        }

        var subscriptions = await context.Db.Subscriptions.AsNoTracking().Where(s => s.CustomerId == customer.Id).OrderByDescending(s => s.StartsAt).ToListAsync(cancellationToken);
        var views = new List<SubscriptionView>();
        foreach (var subscription in subscriptions)
        {
            views.Add(await SubscriptionReads.ViewAsync(context.Db, subscription, cancellationToken));
        }

        return UseCaseResult<IReadOnlyList<SubscriptionView>>.Ok(views);
    }
}
