using System.Globalization;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Domain.Billing;
using Neruba.Infrastructure.Customers;
using Neruba.Infrastructure.Persistence;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Billing.Runs;

/// <summary>
/// What a run would cover once its request passed every check: the month, the scope in words, how many subscriptions it
/// would bill and how many of them already have their final invoice for the month (a final run skips those).
/// </summary>
public sealed record BillingRunPreflight(BillingRunKind Kind, DateTimeOffset PeriodStart, Guid? CustomerId, string Scope, int Subscriptions, int AlreadyInvoiced);

/// <summary>
/// Starts a billing run for a month and a scope. A final run needs the month to have ended; a dry run
/// computes drafts and finalizes nothing; a rerun recomputes a finalized month (late events included)
/// for a side-by-side preview and finalizes nothing either. Only one run per (project, month, scope) can be active.
/// </summary>
public sealed class TriggerBillingRun(IBackgroundJobClient jobs, IDbContextFactory<NerubaDbContext> dbFactory) : UseCase<TriggerBillingRun.Request, BillingRunView>
{
    public sealed record Request(DateOnly? Month, string? Customer, bool DryRun, bool Rerun = false)
    {
        public BillingRunKind Kind => Rerun ? BillingRunKind.Rerun : DryRun ? BillingRunKind.DryRun : BillingRunKind.Manual;
    }

    public override AccessRule Access { get; } = new(Permission.RunJobs);

    public override ValidationErrors Validate(Request request)
    {
        var errors = new ValidationErrors();
        if (request.Month is not { } month)
        {
            return errors.Add("month", "Choose the month to bill.");
        }

        if (month.Year is < 2000 or > 2100)
        {
            errors.Add("month", "Choose a month between 2000-01 and 2100-12.");
        }

        return request is { DryRun: true, Rerun: true } ? errors.Add("kind", "A run is either a dry run or a rerun preview, not both.") : errors;
    }

    /// <summary>
    /// Every rule that needs the database or the clock, in one place: the console calls it (through <see cref="CheckBillingRun"/>) before it
    /// asks for confirmation, and <see cref="HandleAsync"/> calls it again when the run is started, so both refuse the same requests in the same words.
    /// </summary>
    public static async Task<UseCaseResult<BillingRunPreflight>> CheckAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var month = BillingCalendar.Month(new DateTimeOffset(request.Month!.Value.Year, request.Month.Value.Month, 1, 0, 0, 0, TimeSpan.Zero));
        var label = month.Label(BillingInterval.Monthly);
        Guid? customerId = null;
        var scope = "all customers";
        if (!string.IsNullOrWhiteSpace(request.Customer))
        {
            var customer = await CustomerRules.FindAsync(context, request.Customer, cancellationToken);
            if (customer is null)
            {
                return UseCaseResult<BillingRunPreflight>.Invalid("customer", $"No customer '{request.Customer.Trim()}' in this project.");
            }

            (customerId, scope) = (customer.Id, $"{customer.Name} ({customer.ExternalId})");
        }

        if (month.Start > context.Now)
        {
            return UseCaseResult<BillingRunPreflight>.Invalid("month", $"{label} has not started yet, so there is nothing to bill or preview.");
        }

        if (request.Rerun && !await context.Db.Invoices.AnyAsync(i => i.ProjectId == context.ProjectId && i.PeriodStart == month.Start
                && (customerId == null || i.CustomerId == customerId), cancellationToken))
        {
            return UseCaseResult<BillingRunPreflight>.Invalid("month", $"Nothing was finalized for {label} yet, so there is nothing to rerun; start a billing run instead.");
        }

        if (request.Kind == BillingRunKind.Manual && month.End > context.Now)
        {
            return UseCaseResult<BillingRunPreflight>.Invalid("month",
                $"{label} has not ended yet (its last day is {month.End.AddDays(-1):yyyy-MM-dd}, UTC), so its invoices cannot be finalized. Use a dry run to preview them.");
        }

        var inScope = BillingRunJob.SubscriptionsInScope(context.Db, context.ProjectId, customerId, month);
        var subscriptions = await inScope.CountAsync(cancellationToken);
        if (subscriptions == 0)
        {
            return UseCaseResult<BillingRunPreflight>.Invalid("month", await NothingToBillAsync(context, customerId, scope, label, cancellationToken));
        }

        var key = BillingRunRecord.ActiveKeyFor(context.ProjectId, month.Start, customerId);
        if (await context.Db.BillingRuns.AnyAsync(r => r.ActiveKey == key, cancellationToken))
        {
            return UseCaseResult<BillingRunPreflight>.Conflict($"A run for {label} and this scope is already queued or running; watch it on the billing runs page.");
        }

        var invoiced = await inScope.CountAsync(s => context.Db.Invoices.Any(i => i.SubscriptionId == s.Id && i.PeriodStart == month.Start
            && i.Revision == CustomerBilling.Revision), cancellationToken);
        return UseCaseResult<BillingRunPreflight>.Ok(new BillingRunPreflight(request.Kind, month.Start, customerId, scope, subscriptions, invoiced));
    }

    public override async Task<UseCaseResult<BillingRunView>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var check = await CheckAsync(context, request, cancellationToken);
        if (!check.Succeeded)
        {
            return check.As<BillingRunView>();
        }

        var (periodStart, customerId) = (check.Value!.PeriodStart, check.Value.CustomerId);
        var run = new BillingRunRecord
        {
            Id = Guid.NewGuid(), ProjectId = context.ProjectId, PeriodStart = periodStart, CustomerId = customerId, Kind = request.Kind,
            Status = BillingRunStatus.Queued, ActiveKey = BillingRunRecord.ActiveKeyFor(context.ProjectId, periodStart, customerId),
            TriggeredBy = context.Actor.Name, CreatedAt = context.Now,
            EventWatermark = await Metering.EventWatermark.CaptureAsync(context.Db, cancellationToken),
        };
        context.Db.BillingRuns.Add(run);
        context.Audit("billing_run.triggered", "billing_run", run.Id.ToString(), null,
            new { Month = BillingCalendar.Month(periodStart).Label(BillingInterval.Monthly), Scope = customerId?.ToString() ?? "all", run.Kind });
        BillingRunReads.EnqueueAfterCommit(context, jobs, dbFactory, run.Id);
        return UseCaseResult<BillingRunView>.Ok(await BillingRunReads.ViewAsync(context.Db, run, cancellationToken));
    }

    /// <summary>Says why nothing runs in the month: when the scope's first subscription starts, or that it has none at all.</summary>
    private static async Task<string> NothingToBillAsync(UseCaseContext context, Guid? customerId, string scope, string label, CancellationToken cancellationToken)
    {
        var first = await context.Db.Subscriptions.AsNoTracking()
            .Where(s => s.ProjectId == context.ProjectId && (customerId == null || s.CustomerId == customerId))
            .OrderBy(s => s.StartsAt).Select(s => (DateTimeOffset?)s.StartsAt).FirstOrDefaultAsync(cancellationToken);
        var whose = customerId is null ? "this project" : scope;
        return first is { } starts
            ? string.Create(CultureInfo.InvariantCulture, $"No subscription of {whose} runs in {label}, so there is nothing to bill; the first one starts {starts:yyyy-MM-dd}.")
            : $"{(customerId is null ? "This project" : scope)} has no subscription yet, so there is nothing to bill.";
    }
}

/// <summary>
/// The checks of <see cref="TriggerBillingRun"/> without starting anything: the console runs it before its confirmation dialog, so a
/// month or scope the server would refuse is explained on the form and no dialog opens. Starting the run checks everything again.
/// </summary>
public sealed class CheckBillingRun(TriggerBillingRun trigger) : UseCase<TriggerBillingRun.Request, BillingRunPreflight>
{
    public override AccessRule Access => trigger.Access;

    public override ValidationErrors Validate(TriggerBillingRun.Request request) => trigger.Validate(request);

    public override Task<UseCaseResult<BillingRunPreflight>> HandleAsync(UseCaseContext context, TriggerBillingRun.Request request, CancellationToken cancellationToken) =>
        TriggerBillingRun.CheckAsync(context, request, cancellationToken);
}
